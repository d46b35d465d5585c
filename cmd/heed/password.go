package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
)

// password gets a new password for who: from the first line of stdin with
// --password-stdin, asked twice on a terminal (empty means generate), or
// generated when nobody is there to ask. generated says it must be shown.
func (a *app) password(fromStdin bool, who string) (pw string, generated bool, err error) {
	if fromStdin {
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", false, heed.Errorf(heed.EInvalid, "--password-stdin: no password on standard input")
		}
		pw = strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", false, heed.Errorf(heed.EInvalid, "--password-stdin: the first line of standard input is empty")
		}
		return pw, false, nil
	}
	in, ok := a.stdin.(*os.File)
	if !ok || !isTerminal(in) || !isTerminal(a.stderr) {
		return accounts.GeneratePassword(), true, nil
	}
	pw, err = askPassword(in, a, who)
	if err != nil || pw != "" {
		return pw, false, err
	}
	return accounts.GeneratePassword(), true, nil
}

// askPassword asks for a password twice on the terminal, without echo.
func askPassword(in *os.File, a *app, who string) (string, error) {
	r := bufio.NewReader(in)
	first, err := readHidden(in, r, a, fmt.Sprintf("Password for %s (empty: generate one): ", who))
	if err != nil || first == "" {
		return "", err
	}
	again, err := readHidden(in, r, a, "Same password again: ")
	if err != nil {
		return "", err
	}
	if first != again {
		return "", errors.New("the two passwords differ; nothing was changed")
	}
	return first, nil
}

// readHidden prompts on stderr and reads a line with the terminal's echo
// off (through stty, so no terminal library is needed; where stty is
// missing the typing shows, which the prompt then says).
func readHidden(in *os.File, r *bufio.Reader, a *app, prompt string) (string, error) {
	hidden := stty(in, "-echo") == nil
	if !hidden {
		prompt = "(typing will show) " + prompt
	}
	fmt.Fprint(a.stderr, prompt)
	line, err := r.ReadString('\n')
	if hidden {
		stty(in, "echo") //nolint:errcheck // best effort; the shell resets it too
		fmt.Fprintln(a.stderr)
	}
	if err != nil && line == "" {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func stty(tty *os.File, arg string) error {
	cmd := exec.Command("stty", arg)
	cmd.Stdin = tty
	return cmd.Run()
}
