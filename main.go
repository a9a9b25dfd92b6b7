// Command errprobe checks whether a live HTTP API keeps its error contract.
package main

import (
	"os"

	"github.com/errprobe/errprobe/cmd"
)

func main() {
	os.Exit(cmd.Main(cmd.System()))
}
