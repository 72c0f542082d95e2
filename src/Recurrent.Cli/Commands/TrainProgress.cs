// What `recurrent train` shows while it works and leaves when it ends: a Spectre bar or plain lines, epoch lines, the result.
using System.Text.Encodings.Web;
using System.Text.Json;
using Recurrent.Cli.Training;
using Recurrent.Tensors;
using Spectre.Console;

namespace Recurrent.Cli.Commands;

internal static class TrainProgress
{
    /// <summary>A live bar only where a person watches: stderr is this process's own terminal.</summary>
    public static bool IsTerminal(TextWriter stderr) =>
        ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static EpochRecord EpochWithLines(CharTrainer trainer, int epochs, TextWriter? notes, CancellationToken cancellation, bool first)
    {
        // Off a terminal: a line after the run's first batch (proof of life), then one every 5 seconds within an epoch.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        double last = 0;
        trainer.BatchDone = notes is null ? null : (done, total) =>
        {
            if (done < total && ((first && done == trainer.BatchInEpoch && last == 0) || watch.Elapsed.TotalSeconds - last >= 5))
            {
                last = Math.Max(watch.Elapsed.TotalSeconds, 1e-9);
                notes.WriteLine($"epoch {trainer.EpochsDone + 1}/{epochs}: batch {done}/{total}, loss {trainer.EpochLossSoFar:F4}");
            }
        };
        return trainer.RunEpoch(cancellation);
    }

    public static EpochRecord EpochWithBar(CharTrainer trainer, int epochs, CancellationToken cancellation)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        EpochRecord? record = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask($"epoch {trainer.EpochsDone + 1}/{epochs}", maxValue: trainer.BatchesPerEpoch);
                bar.Value = trainer.BatchInEpoch;
                // The running loss at most twice a second: off the CPU, reading it waits for the device's queue.
                var shown = System.Diagnostics.Stopwatch.StartNew();
                trainer.BatchDone = (done, _) =>
                {
                    bar.Value = done;
                    if (shown.ElapsedMilliseconds < 500) return;
                    shown.Restart();
                    bar.Description = $"epoch {trainer.EpochsDone + 1}/{epochs} loss {trainer.EpochLossSoFar:F4}";
                };
                record = trainer.RunEpoch(cancellation);
            });
        return record!;
    }

    public static string EpochLine(EpochRecord r, int epochs, CharTrainer trainer) =>
        $"epoch {r.Epoch}/{epochs}  loss {r.Loss:F4}  bpc {r.Bpc:F4}" +
        (r.ValLoss is double v ? $"  val_loss {v:F4}  val_bpc {r.ValBpc:F4}" : "") +
        $"  {r.Seconds:F1}s{(r.Best ? $"  best → {trainer.BestPath}" : "")}";

    /// <summary>The result: a summary line (text) or one JSON object, and history.json in --out.</summary>
    public static void Finish(CharTrainer trainer, CharLmConfig config, Device device, string? outDir, TextWriter? json, TextWriter? text, bool interrupted)
    {
        var result = new
        {
            checkpoint = trainer.BestPath,
            resumable = trainer.LastPath,
            interrupted,
            epochs_done = trainer.EpochsDone,
            steps = trainer.Steps,
            best_epoch = trainer.BestEpoch,
            best_loss = double.IsFinite(trainer.BestLoss) ? trainer.BestLoss : (double?)null,
            best_bpc = double.IsFinite(trainer.BestLoss) ? trainer.BestLoss / Math.Log(2) : (double?)null,
            device = device.Name,
            vocab_size = trainer.Model.VocabSize,
            parameters = trainer.Model.NamedParameters().Sum(p => p.Parameter.Value.Length),
            config = JsonDocument.Parse(config.ToJson()).RootElement,
            history = trainer.History.Select(h => new { epoch = h.Epoch, loss = h.Loss, bpc = h.Bpc, val_loss = h.ValLoss, val_bpc = h.ValBpc, seconds = h.Seconds, best = h.Best }),
        };
        var options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        string document = JsonSerializer.Serialize(result, options);
        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
            File.WriteAllText(Path.Combine(outDir, "history.json"), document + "\n");
        }
        json?.WriteLine(document);
        if (text is not null && trainer.BestEpoch > 0)
        {
            var best = trainer.History.FirstOrDefault(h => h.Epoch == trainer.BestEpoch);
            string how = best?.ValLoss is double v ? $"val_loss {v:F4} (val_bpc {v / Math.Log(2):F4})" : $"loss {trainer.BestLoss:F4} (bpc {trainer.BestLoss / Math.Log(2):F4})";
            text.WriteLine($"best epoch {trainer.BestEpoch}: {how} → {trainer.BestPath}");
            text.WriteLine($"resumable state: {trainer.LastPath}");
        }
    }
}
