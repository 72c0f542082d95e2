// `recurrent inspect FILE`: the tensors (name, dtype, shape, bytes) and metadata of a safetensors file, checked as loading checks it.
using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Recurrent.Nn.Checkpoints;

namespace Recurrent.Cli.Commands;

public static class InspectCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "a .safetensors file (state dict or training checkpoint)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of text" };
        var cmd = new Command("inspect", "List the tensors (name, dtype, shape, bytes) and metadata of a safetensors file.\n\n" +
            "The header is validated exactly as loading validates it (the data is not read); a malformed file exits with 1 and one line saying what is wrong; a missing file is a usage error (exit 2).\n\n" +
            "Examples:\n  recurrent inspect run/epoch-3.safetensors\n  recurrent inspect model.safetensors --json")
        {
            file, json,
        };
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            SafetensorsHeader header;
            try
            {
                // A file that is not there is a mistake in the command line (exit 2), as for every command; one that is
                // there but damaged is a failure (exit 1).
                if (Directory.Exists(path)) throw new UsageException($"{path} is a folder, not a file");
                if (!File.Exists(path)) throw new UsageException($"file not found: {path}");
                header = Safetensors.LoadHeader(path);
            }
            catch (SafetensorsFormatException e)
            {
                return Fail(stderr, e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(stderr, $"cannot read {path}: {e.Message}");
            }
            if (parse.GetValue(json)) WriteJson(stdout, path, header);
            else WriteText(stdout, path, header);
            return Cli.Success;
        });
        return cmd;
    }

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
        return Cli.Failure;
    }

    private static void WriteText(TextWriter stdout, string path, SafetensorsHeader header)
    {
        var entries = header.Entries;
        stdout.WriteLine($"{path}: {entries.Count} tensor{(entries.Count == 1 ? "" : "s")}, {header.DataLength.ToString("N0", CultureInfo.InvariantCulture)} bytes of data, header {header.HeaderLength.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        if (entries.Count > 0)
        {
            int nameWidth = Math.Max(4, entries.Max(e => e.Name.Length));
            int dtypeWidth = Math.Max(5, entries.Max(e => e.DType.Length));
            int shapeWidth = Math.Max(5, entries.Max(e => e.ShapeText.Length));
            stdout.WriteLine($"  {"name".PadRight(nameWidth)}  {"dtype".PadRight(dtypeWidth)}  {"shape".PadRight(shapeWidth)}  {"bytes",12}");
            foreach (var e in entries)
                stdout.WriteLine($"  {e.Name.PadRight(nameWidth)}  {e.DType.PadRight(dtypeWidth)}  {e.ShapeText.PadRight(shapeWidth)}  {e.ByteLength.ToString("N0", CultureInfo.InvariantCulture),12}");
        }
        if (header.Metadata.Count > 0)
        {
            stdout.WriteLine("metadata:");
            foreach (var (key, value) in header.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                stdout.WriteLine($"  {key} = {value.ReplaceLineEndings("\\n")}");
        }
    }

    private static void WriteJson(TextWriter stdout, string path, SafetensorsHeader header)
    {
        var document = new
        {
            file = path,
            header_bytes = header.HeaderLength,
            data_bytes = header.DataLength,
            tensors = header.Entries.Select(e => new
            {
                name = e.Name,
                dtype = e.DType,
                shape = e.Shape,
                bytes = e.ByteLength,
                data_offsets = new[] { e.Begin, e.End },
            }),
            metadata = header.Metadata,
        };
        stdout.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }
}
