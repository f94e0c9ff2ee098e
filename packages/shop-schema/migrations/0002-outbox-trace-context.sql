-- The W3C trace context (traceparent) of the request that paid the order. The outbox relay sends
-- the fulfilment job later, outside that request; with this, the job and the worker's work on it
-- still belong to the checkout's trace. NULL when tracing is off.
ALTER TABLE outbox ADD COLUMN trace_context jsonb;
