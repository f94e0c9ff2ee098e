// Command firedrill-k8s-validate checks rendered Kubernetes manifests (helm template's output, on
// stdin) against the API's own Go types: each document is decoded strictly into the type its
// apiVersion and kind name, so an unknown kind or apiVersion, an unknown or duplicated field, or a
// value of the wrong type (a string where a number goes, a malformed quantity) is an error.
//
// It prints one line of JSON per document ({"apiVersion","kind","namespace","name"} and, when it
// does not validate, "error") and exits 1 if any document failed, 2 on unreadable input.
//
// Why this rather than kubeconform: kubeconform needs the Kubernetes JSON schemas on disk and the
// lab's machines reach no schema host; these types come from the Go module proxy, and helm (built
// the same way, from the same k8s.io modules) has already compiled them, so this adds seconds to a
// cold CI run. What it does not check is what only the API server checks (required fields, value
// ranges); the chart's tests assert the ones the lab relies on.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"
)

type result struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
	Error      string `json:"error,omitempty"`
}

func main() {
	failed, err := validate(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "firedrill-k8s-validate:", err)
		os.Exit(2)
	}
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "firedrill-k8s-validate: %d document(s) invalid\n", failed)
		os.Exit(1)
	}
}

func validate(in io.Reader, out io.Writer) (int, error) {
	// EnableStrict: unknown and duplicate fields are errors, not silently dropped.
	decoder := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	reader := utilyaml.NewYAMLReader(bufio.NewReader(in))
	encoder := json.NewEncoder(out)
	failed := 0
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return failed, nil
		}
		if err != nil {
			return failed, err
		}
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		r := describe(doc)
		if _, _, err := decoder.Decode(doc, nil, nil); err != nil {
			r.Error = err.Error()
			failed++
		}
		if err := encoder.Encode(r); err != nil {
			return failed, err
		}
	}
}

// describe names a document for the report, whether or not it validates.
func describe(doc []byte) result {
	var obj unstructured.Unstructured
	raw := map[string]any{}
	if err := yaml.Unmarshal(doc, &raw); err != nil {
		return result{Error: err.Error()}
	}
	obj.Object = raw
	return result{APIVersion: obj.GetAPIVersion(), Kind: obj.GetKind(), Namespace: obj.GetNamespace(), Name: obj.GetName()}
}

// stripComments drops comment-only lines: helm template opens every document with a "# Source:" line.
func stripComments(doc []byte) []byte {
	var kept [][]byte
	for _, line := range bytes.Split(doc, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) {
			kept = append(kept, line)
		}
	}
	return bytes.Join(kept, []byte("\n"))
}
