// The command tree and its exit-code rules: 0 success, 1 runtime failure, 2 usage error, 130 interrupted (Ctrl-C).
using System.CommandLine;
using Recurrent.Cli.Commands;

namespace Recurrent.Cli;

public static class Cli
{
    /// <summary>Interrupted: 128 + SIGINT, as shells report a process Ctrl-C ended (SIGTERM gives 143, see Program).</summary>
    public const int Success = 0, Failure = 1, UsageError = 2, Interrupted = 130;

    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("recurrent: recurrent neural networks from scratch — experiments, training, kernels.\n\n" +
            "Options most commands share (each command lists the ones it takes): --device auto|cpu|opencl[:N], --threads N, --seed S, " +
            "--out DIR, --quiet, --json (one JSON result on stdout, human text on stderr); --verbose on every command.\n" +
            "Exit codes: 0 success, 1 runtime failure (one line; the stack trace with --verbose), 2 usage error, 130 interrupted by Ctrl-C (143 by SIGTERM).\n\n" +
            "Examples:\n  recurrent run copy-delay\n  recurrent train --text input.txt --model lstm --hidden 128 --epochs 10 --checkpoint model.safetensors\n" +
            "  recurrent sample --checkpoint model.safetensors --prime \"The \" --length 500\n  recurrent bench cell --device all");
        root.Options.Add(new Option<bool>("--verbose") { Description = "print the stack trace of a runtime failure", Recursive = true });
        foreach (var version in root.Options.OfType<VersionOption>()) version.Recursive = true; // `recurrent train --version` too
        root.Subcommands.Add(TrainCommand.Build(stdout, stderr));
        root.Subcommands.Add(SampleCommand.Build(stdout, stderr));
        root.Subcommands.Add(BenchCommand.Build(stdout, stderr));
        root.Subcommands.Add(GradcheckCommand.Build(stdout, stderr));
        root.Subcommands.Add(RunCommand.BuildList(stdout));
        root.Subcommands.Add(RunCommand.BuildRun(stdout, stderr));
        root.Subcommands.Add(InspectCommand.Build(stdout, stderr));
        root.Subcommands.Add(MergeCommand.Build(stdout, stderr));
        root.Subcommands.Add(DevicesCommand.Build(stdout));
        return root;
    }

    /// <summary>
    /// Runs the command line; usage errors print what was wrong and return 2, never a stack trace. Cancelling
    /// <paramref name="cancellation"/> (Program does on Ctrl-C and SIGTERM) stops the work at its next safe point and returns 130.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default)
    {
        var root = Build(stdout, stderr);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine("Run 'recurrent --help' (or the subcommand with --help) for usage.");
            return UsageError;
        }
        try
        {
            try
            {
                // Our own signal handling (Program) rather than System.CommandLine's, which would end the process after a
                // timeout: training must be allowed to finish writing its checkpoint.
                var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
                return parse.InvokeAsync(configuration, cancellation).GetAwaiter().GetResult();
            }
            catch (AggregateException e)
            {
                // Parallel runs wrap what each run threw (usually the same mistake, once per run): report the first,
                // classified like any other exception.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
                throw;
            }
        }
        catch (Exception e) when (e is UsageException or Recurrent.Tasks.Experiments.ParameterException)
        {
            stderr.WriteLine($"error: {OneLine(e.Message)}");
            return UsageError;
        }
        catch (OperationCanceledException e) when (cancellation.IsCancellationRequested)
        {
            stderr.WriteLine($"interrupted{(e is InterruptedException ? $": {OneLine(e.Message)}" : "")}");
            return Interrupted;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stderr.WriteLine($"error: {OneLine(e.Message)}");
            if (args.Contains("--verbose")) stderr.WriteLine(e);
            return Failure;
        }
    }

    /// <summary>A failure is reported on one line (a state-dict mismatch lists its names on several).</summary>
    internal static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}

/// <summary>A mistake in how the command was called (not a failure of the work itself): exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Work stopped by Ctrl-C at a safe point; the message says what was kept (e.g. the checkpoint to resume from).</summary>
public sealed class InterruptedException(string message, CancellationToken token) : OperationCanceledException(message, token);
