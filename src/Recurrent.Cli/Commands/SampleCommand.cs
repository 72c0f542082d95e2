// `recurrent sample`: text from a `recurrent train` checkpoint, streamed to stdout character by character as it is drawn.
using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Recurrent.Cli.Training;
using Recurrent.Nn.Checkpoints;
using Recurrent.Tensors;

namespace Recurrent.Cli.Commands;

public static class SampleCommand
{
    private const string Help =
        "Generate text with a model `recurrent train` saved: the prime is read through the network to build its state, then each\n" +
        "next character is drawn from softmax(logits / temperature) and fed back. The prime and the characters are written to\n" +
        "stdout as they are produced. The checkpoint carries everything needed (hyper-parameters, vocabulary); either file of a\n" +
        "run works (OUT.safetensors or OUT.last.safetensors). Same checkpoint, prime, temperature and seed → same text.\n" +
        "A prime character outside the vocabulary is a usage error (exit 2) naming it.\n\n" +
        "Examples:\n" +
        "  recurrent sample --checkpoint lm.safetensors\n" +
        "  recurrent sample --checkpoint lm.safetensors --prime \"ROMEO:\" --length 1000 --temperature 0.8 --seed 7\n" +
        "  recurrent sample --checkpoint lm.safetensors --length 200 --json";

    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "a file written by `recurrent train`", Required = true, HelpName = "CKPT" };
        var prime = new Option<string?>("--prime") { Description = "the text to start from (default: the training text's first character)", HelpName = "TEXT" };
        var length = CommonOptions.Int("--length", "characters to generate after the prime", 0, 100_000_000, 200);
        var temperature = CommonOptions.Double("--temperature", "softmax temperature: below 1 more likely characters, above 1 more surprises", 0, 100, 1, minExclusive: true);
        var seed = CommonOptions.Seed("seed of the draws");
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads("CPU threads", 1);
        var quiet = CommonOptions.Quiet("no notes on stderr");
        var json = CommonOptions.Json("print one JSON object (prime, text, settings) at the end instead of streaming");
        var cmd = new Command("sample", Help) { checkpoint, prime, length, temperature, seed, device, threads, quiet, json };
        cmd.SetAction((parse, cancellation) =>
        {
            string path = parse.GetValue(checkpoint)!;
            bool asJson = parse.GetValue(json);
            TextWriter? notes = parse.GetValue(quiet) ? null : stderr;
            TrainCommand.RequireFile(path, "--checkpoint");
            var file = Safetensors.Load(path);
            var config = CharLmConfig.FromMetadata(file.Metadata, path);
            var vocabulary = config.VocabularyObject();

            string primeText = parse.GetValue(prime) ?? config.Start;
            if (primeText.Length == 0) throw new UsageException("--prime must have at least one character");
            int[] primeSymbols = Encode(primeText, vocabulary);

            Device dev = DeviceChoice.Parse(parse.GetValue(device)).Resolve(parse.GetValue(threads), notes);
            var model = config.NewModel(dev);
            Checkpoint.LoadStateDict(model.NamedParameters(), file, strict: true, path);

            var rng = new Rng(parse.GetValue(seed));
            Action<int>? emit = null;
            if (!asJson)
            {
                stdout.Write(primeText);
                stdout.Flush();
                emit = symbol =>
                {
                    cancellation.ThrowIfCancellationRequested();
                    stdout.Write(vocabulary[symbol].ToString());
                    stdout.Flush(); // stream: each character as soon as it is drawn
                };
            }
            else emit = _ => cancellation.ThrowIfCancellationRequested();
            int[] all;
            try
            {
                all = model.Sample(primeSymbols, parse.GetValue(length), parse.GetValue(temperature), rng, warmUp: true, emit);
            }
            finally
            {
                if (!asJson) stdout.WriteLine();
            }
            if (asJson)
            {
                string generated = vocabulary.Decode(all.AsSpan(primeSymbols.Length));
                stdout.WriteLine(JsonSerializer.Serialize(new
                {
                    checkpoint = path,
                    prime = primeText,
                    generated,
                    text = primeText + generated,
                    length = parse.GetValue(length),
                    temperature = parse.GetValue(temperature),
                    seed = parse.GetValue(seed),
                    model = config.Model,
                    device = dev.Name,
                }, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            }
            return Task.FromResult(Cli.Success);
        });
        return cmd;
    }

    /// <summary>The prime as symbols; characters outside the vocabulary are a usage error listing each of them once.</summary>
    private static int[] Encode(string text, Recurrent.Tasks.Data.CharVocabulary vocabulary)
    {
        var runes = new List<Rune>();
        for (int i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out Rune r, out int used) != System.Buffers.OperationStatus.Done)
                throw new UsageException($"--prime has an unpaired surrogate at UTF-16 index {i}; it is not valid text");
            runes.Add(r);
            i += used;
        }
        var unknown = runes.Where(r => !vocabulary.Contains(r)).Distinct().ToList();
        if (unknown.Count > 0)
            throw new UsageException($"--prime has {unknown.Count} character{(unknown.Count == 1 ? "" : "s")} not in the checkpoint's vocabulary of {vocabulary.Size}: " +
                string.Join(", ", unknown.Select(r => $"'{Printable(r)}' (U+{r.Value:X4})")));
        return runes.Select(vocabulary.IndexOf).ToArray();
    }

    private static string Printable(Rune r) => Rune.IsControl(r) ? $"\\u{r.Value:X4}" : r.ToString();
}
