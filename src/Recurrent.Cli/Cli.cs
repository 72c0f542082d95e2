// The command tree and its exit-code rules: 0 success, 1 runtime failure, 2 usage error.
using System.CommandLine;
using Recurrent.Cli.Commands;

namespace Recurrent.Cli;

public static class Cli
{
    public const int Success = 0, Failure = 1, UsageError = 2;

    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("recurrent: recurrent neural networks from scratch — experiments, training, kernels.");
        root.Options.Add(new Option<bool>("--verbose") { Description = "print the stack trace of a runtime failure", Recursive = true });
        root.Subcommands.Add(BenchCommand.Build(stdout, stderr));
        root.Subcommands.Add(GradcheckCommand.Build(stdout, stderr));
        root.Subcommands.Add(RunCommand.BuildList(stdout));
        root.Subcommands.Add(RunCommand.BuildRun(stdout, stderr));
        root.Subcommands.Add(InspectCommand.Build(stdout, stderr));
        root.Subcommands.Add(MergeCommand.Build(stdout, stderr));
        root.Subcommands.Add(DevicesCommand.Build(stdout));
        return root;
    }

    /// <summary>Runs the command line; usage errors print what was wrong and return 2, never a stack trace.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
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
                return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
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
            stderr.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stderr.WriteLine($"error: {e.Message}");
            if (args.Contains("--verbose")) stderr.WriteLine(e);
            return Failure;
        }
    }
}

/// <summary>A mistake in how the command was called (not a failure of the work itself): exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
