// The training plane. Load: k6 on the scripts in scenarios/load, started and stopped with a run.
export { startLoad, resolveLoadScript, readSummary, loadScriptsDir, type LoadRequest, type LoadRun, type LoadSummary } from './load/k6-load.ts';
export { spawnK6, k6Binary, k6ThresholdsCrossed, type K6Process, type K6Exit, type K6Spawn } from './load/k6-process.ts';
export { loadProfiles, profileDefaults, isLoadProfile, durationSeconds, type LoadProfile, type ProfileDefaults } from './load/load-profiles.ts';
