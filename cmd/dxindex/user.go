package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

var cmdUser = &command{
	name:    "user",
	summary: "create users and reset passwords (user add | passwd | list)",
	run:     runUser,
}

func runUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		fmt.Fprint(e.stdout, `Usage: dxindex user <add|passwd|list> [flags]

  add     --username U --role R [--unit CODE] [--name "Full name"] --password-stdin
          create a user (the first admin too); roles: admin, province, district, school, viewer
  passwd  --username U --password-stdin
          set a new password (ends the user's sessions)
  list    list the users

Run 'dxindex user <subcommand> --help' for its flags.
`)
		if len(args) == 0 {
			return exitCode(2, nil)
		}
		return nil
	}
	switch args[0] {
	case "add":
		return runUserAdd(ctx, e, args[1:])
	case "passwd":
		return runUserPasswd(ctx, e, args[1:])
	case "list":
		return runUserList(ctx, e, args[1:])
	}
	return usageErrorf("unknown subcommand %q: want add, passwd or list", args[0])
}

// readPassword reads one line from standard input: scripts pipe it in, so
// it never shows in the process list or the shell history.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usageErrorf("no password on standard input (e.g. printf '%%s\\n' \"$PASSWORD\" | dxindex user add …)")
	}
	return pw, nil
}

func runUserAdd(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("user add", "--username U --role R [--unit CODE] [--name NAME] --password-stdin")
	username := fs.String("username", "", "login name (lowercase)")
	role := fs.String("role", "", "admin | province | district | school | viewer")
	unit := fs.String("unit", "", "code of the unit whose subtree is the user's scope (not needed for admin)")
	name := fs.String("name", "", "full name")
	stdin := fs.Bool("password-stdin", false, "read the password from standard input (required)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *username == "" || *role == "" {
		return usageErrorf("--username and --role are required")
	}
	if !*stdin {
		return usageErrorf("--password-stdin is required: pipe the password in, it is never taken as an argument")
	}
	pw, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	db, err := e.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := survey.NewService(db.Pool)
	u, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: *username, DisplayName: *name, Role: model.Role(*role), UnitCode: *unit, Password: pw})
	if err != nil {
		return fieldErrorsForCLI(err)
	}
	fmt.Fprintf(e.stdout, "created user %s (%s%s)\n", u.Username, u.Role, map[bool]string{true: ", " + u.UnitCode, false: ""}[u.UnitCode != ""])
	return nil
}

func runUserPasswd(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("user passwd", "--username U --password-stdin")
	username := fs.String("username", "", "login name")
	stdin := fs.Bool("password-stdin", false, "read the new password from standard input (required)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *username == "" && fs.NArg() == 1 {
		*username = fs.Arg(0)
	}
	if *username == "" {
		return usageErrorf("--username is required")
	}
	if !*stdin {
		return usageErrorf("--password-stdin is required")
	}
	pw, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	db, err := e.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := survey.NewService(db.Pool).ResetPassword(ctx, *username, pw); err != nil {
		return fieldErrorsForCLI(err)
	}
	fmt.Fprintf(e.stdout, "password of %s changed; their sessions have ended\n", *username)
	return nil
}

func runUserList(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("user list", "")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	db, err := e.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := survey.NewService(db.Pool).ListUsers(ctx, &model.Actor{Role: model.RoleAdmin})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tROLE\tUNIT\tNAME\tLOCKED")
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\n", u.Username, u.Role, u.UnitCode, u.DisplayName, u.LockedAt != nil)
	}
	return tw.Flush()
}

// fieldErrorsForCLI words a domain error for the terminal: every field
// problem on its own line, in English.
func fieldErrorsForCLI(err error) error {
	var fe errkind.FieldErrors
	if errors.As(err, &fe) {
		var b strings.Builder
		for field, msg := range fe.In("en") {
			fmt.Fprintf(&b, "\n  --%s: %s", strings.ReplaceAll(strings.TrimSuffix(field, "_code"), "_", "-"), msg)
		}
		return exitCode(1, fmt.Errorf("not created:%s", b.String()))
	}
	return err
}
