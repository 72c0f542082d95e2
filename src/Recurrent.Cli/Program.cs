// The `recurrent` command: parses arguments, runs the chosen subcommand, maps failures to exit codes; Ctrl-C and SIGTERM stop work cleanly.
using System.Runtime.InteropServices;
using Recurrent.Cli;

using var cancel = new CancellationTokenSource();
bool terminated = false;

// The first Ctrl-C asks the work to stop at its next safe point (training writes its resumable checkpoint); a second
// one, while that is under way, ends the process at once as usual.
Console.CancelKeyPress += (_, e) =>
{
    if (cancel.IsCancellationRequested) return;
    e.Cancel = true;
    Console.Error.WriteLine("stopping at the next safe point (Ctrl-C again to quit at once)…");
    cancel.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    terminated = true;
    cancel.Cancel();
});

Task? probe = DeviceChoice.ProbeEarly(args);
int code = Cli.Run(args, Console.Out, Console.Error, cancel.Token);
probe?.Wait();
Console.Out.Flush();
// 128 + the signal number, as a shell reports it: 130 for SIGINT (Ctrl-C), 143 for SIGTERM.
return code == Cli.Interrupted && terminated ? 143 : code;
