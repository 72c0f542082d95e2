// The `recurrent` command: parses arguments, runs the chosen subcommand, maps failures to exit codes.
using System.CommandLine;
using Recurrent.Cli;

return Cli.Run(args, Console.Out, Console.Error);
