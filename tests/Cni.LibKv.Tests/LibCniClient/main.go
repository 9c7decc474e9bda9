// Command libcni-client runs a CNI plugin through libcni, the library container runtimes use, so
// that libkv's tests see it exactly as a runtime would. It is built from Debian's libcni source
// (golang-github-appc-cni-dev) in GOPATH mode, without network.
//
//	libcni-client add|check|del CONF-FILE   (CNI_PATH, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME,
//	                                         CNI_ARGS as for a plugin; LIBCNI_CACHE_DIR for
//	                                         libcni's result cache)
//	libcni-client convert FROM TO           (a result on stdin, as a plugin asked for FROM printed it;
//	                                         libcni's conversion of it to TO on stdout)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/containernetworking/cni/libcni"
	"github.com/containernetworking/cni/pkg/types"
	"github.com/containernetworking/cni/pkg/types/create"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 3 && args[0] == "convert":
		return convert(args[1], args[2])
	case len(args) == 2 && (args[0] == "add" || args[0] == "check" || args[0] == "del"):
		return invoke(args[0], args[1])
	default:
		return errors.New("usage: libcni-client add|check|del CONF-FILE | convert FROM TO")
	}
}

// convert reads the result as libcni's invoke package reads a plugin's output (a result without
// cniVersion is in the version the plugin was asked for) and converts it as a runtime would.
func convert(from, to string) error {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}

	var raw map[string]interface{}
	if err := json.Unmarshal(input, &raw); err != nil {
		return err
	}
	version, _ := raw["cniVersion"].(string)
	if version == "" {
		version = from
		raw["cniVersion"] = from
		if input, err = json.Marshal(raw); err != nil {
			return err
		}
	}

	result, err := create.Create(version, input)
	if err != nil {
		return err
	}

	converted, err := result.GetAsVersion(to)
	if err != nil {
		return err
	}

	return printJSON(converted)
}

func invoke(verb, confFile string) error {
	conf, err := libcni.ConfFromFile(confFile)
	if err != nil {
		return err
	}

	runtime := &libcni.RuntimeConf{
		ContainerID: os.Getenv("CNI_CONTAINERID"),
		NetNS:       os.Getenv("CNI_NETNS"),
		IfName:      os.Getenv("CNI_IFNAME"),
		Args:        argPairs(os.Getenv("CNI_ARGS")),
	}
	cni := libcni.NewCNIConfigWithCacheDir(filepath.SplitList(os.Getenv("CNI_PATH")), os.Getenv("LIBCNI_CACHE_DIR"), nil)
	ctx := context.Background()

	switch verb {
	case "add":
		var result types.Result
		if result, err = cni.AddNetwork(ctx, conf, runtime); err != nil {
			return err
		}
		return printJSON(result)
	case "check":
		return cni.CheckNetwork(ctx, conf, runtime)
	default:
		return cni.DelNetwork(ctx, conf, runtime)
	}
}

// argPairs splits "K1=V1;K2=V2" as runtimes hand CNI_ARGS to libcni.
func argPairs(raw string) [][2]string {
	var pairs [][2]string
	for _, entry := range strings.Split(raw, ";") {
		if name, value, found := strings.Cut(entry, "="); found {
			pairs = append(pairs, [2]string{name, value})
		}
	}
	return pairs
}

func printJSON(value interface{}) error {
	data, err := json.Marshal(value)
	if err != nil {
		return err
	}
	_, err = fmt.Println(string(data))
	return err
}
