// A seeded mutation loop over valid files: every mutant loads correctly or raises SafetensorsFormatException, nothing else.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Recurrent.Nn.Checkpoints;
using Recurrent.Tensors;
using Xunit.Abstractions;

namespace Recurrent.Tests.Nn;

public class SafetensorsFuzzTests
{
    private readonly ITestOutputHelper _output;

    public SafetensorsFuzzTests(ITestOutputHelper output) => _output = output;

    private static byte[][] Seeds()
    {
        var mixed = Safetensors.Serialize(
        [
            SafetensorsTensor.FromFloat32("w", [1f, 2f, 3f, 4f, 5f, 6f], [2, 3]),
            SafetensorsTensor.FromFloat64("d", [0.5, -0.25], [2]),
            SafetensorsTensor.FromInt64("rng.data", [1, -2, 3, 4, 5, 0, 7], [7]),
            SafetensorsTensor.FromInt32("i", [9], []),
            SafetensorsTensor.FromFloat32("empty", [], [0, 2]),
        ], new Dictionary<string, string> { ["format"] = "pt", ["config"] = "{\"lr\": 0.01}" });
        var single = Safetensors.Serialize([SafetensorsTensor.FromFloat32("x", [7f], [1])]);
        var pytorch = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "reference", "pytorch_mixed.safetensors"));
        return [mixed, single, pytorch, Safetensors.Serialize([])];
    }

    private static readonly string[] Numbers =
        ["0", "1", "4", "8", "-1", "-8", "2.5", "1e3", "4294967296", "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616", "2147483648", "00", "1.0", "null", "\"4\""];

    private static readonly string[] Snippets =
        ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "__metadata__", "\"dtype\"", "\"F32\"", "\"I64\"", "\"X9\"", "\"shape\"", "[]", "[0]", "\"data_offsets\"", "[0,0]", "null", " ", "\u00e9", "\u2028"];

    private static readonly string[] DTypes = ["F32", "F64", "I32", "I64", "U8", "BF16", "F16", "C64", "F4", "Q8", ""];

    [Fact]
    public void TwelveThousandMutantsLoadOrRaiseTheFormatErrorOnly()
    {
        var seeds = Seeds();
        var rng = new Rng(0x5AFE);
        const int Mutants = 12_000;
        int loaded = 0, rejected = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Mutants; i++)
        {
            byte[] seed = seeds[rng.NextInt(seeds.Length)];
            byte[] mutant = seed;
            int kind = -1;
            int rounds = 1 + (rng.NextInt(4) == 0 ? 1 : 0);
            for (int r = 0; r < rounds; r++) mutant = Mutate(mutant, rng, out kind);
            try
            {
                var file = SafetensorsTests.ReadBoth(mutant);
                CheckInvariants(file, mutant.Length);
                loaded++;
            }
            catch (SafetensorsFormatException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"mutant {i} (kind {kind}) raised {e.GetType().Name}: {e.Message}\nheader: {Preview(mutant)}");
            }
        }
        clock.Stop();
        _output.WriteLine($"{Mutants} mutants: {loaded} loaded, {rejected} rejected, {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(Mutants, loaded + rejected);
        Assert.True(rejected > Mutants / 2, $"only {rejected} rejected: the mutations are too gentle");
        Assert.True(loaded > 0, "no mutant loaded: the mutations never leave a valid file");
        Assert.True(clock.Elapsed.TotalSeconds < 20, $"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>What a successful load promises: the tensors tile the data section and every typed view works.</summary>
    private static void CheckInvariants(SafetensorsFile file, int fileLength)
    {
        Assert.Equal(fileLength, file.Header.FileLength);
        Assert.Equal(file.Header.DataLength, file.Tensors.Sum(t => t.ByteLength));
        foreach (var t in file.Tensors)
        {
            Assert.Equal(t.ElementCount * SafetensorsDTypes.SizeOf(t.DType), t.ByteLength);
            _ = t.Values;
        }
    }

    private static byte[] Mutate(byte[] source, Rng rng, out int kind)
    {
        byte[] b = (byte[])source.Clone();
        int headerLength = b.Length >= 8 ? (int)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(b), (ulong)Math.Max(0, b.Length - 8)) : 0;
        kind = rng.NextInt(10);
        switch (kind)
        {
            case 0: // truncate
                return b[..rng.NextInt(b.Length + 1)];
            case 1: // flip a few bits anywhere
                for (int k = 1 + rng.NextInt(4); k > 0 && b.Length > 0; k--) b[rng.NextInt(b.Length)] ^= (byte)(1 << rng.NextInt(8));
                return b;
            case 2: // overwrite a header byte with a random one
                if (headerLength > 0) b[8 + rng.NextInt(headerLength)] = (byte)rng.NextInt(256);
                return b;
            case 3: // rewrite one number of the header (offsets, shapes)
                return ReplaceInHeader(b, headerLength, rng, IsNumberChar, Numbers[rng.NextInt(Numbers.Length)]);
            case 4: // grow or shrink the header length field
            {
                if (b.Length < 8) return b;
                ulong n = BinaryPrimitives.ReadUInt64LittleEndian(b);
                ulong[] choices = [n + 1, n - 1, n + 8, n - 8, (ulong)b.Length, (ulong)b.Length - 8, 100_000_000, 100_000_001, ulong.MaxValue, 1UL << 32, 0, n + (ulong)rng.NextInt(64)];
                BinaryPrimitives.WriteUInt64LittleEndian(b, choices[rng.NextInt(choices.Length)]);
                return b;
            }
            case 5: // splice: copy a slice of the header JSON to another place (length field kept consistent)
            {
                string json = HeaderText(b, headerLength);
                if (json.Length == 0) return b;
                int from = rng.NextInt(json.Length), len = rng.NextInt(Math.Min(40, json.Length - from) + 1), to = rng.NextInt(json.Length + 1);
                return WithHeader(b, headerLength, json.Insert(to, json.Substring(from, len)));
            }
            case 6: // delete a slice of the header JSON
            {
                string json = HeaderText(b, headerLength);
                if (json.Length == 0) return b;
                int from = rng.NextInt(json.Length), len = 1 + rng.NextInt(Math.Min(20, json.Length - from));
                return WithHeader(b, headerLength, json.Remove(from, len));
            }
            case 7: // insert a JSON token
            {
                string json = HeaderText(b, headerLength);
                return WithHeader(b, headerLength, json.Insert(rng.NextInt(json.Length + 1), Snippets[rng.NextInt(Snippets.Length)]));
            }
            case 8: // swap a dtype for another (known or not)
            {
                string json = HeaderText(b, headerLength);
                int at = json.IndexOf("\"dtype\":\"", StringComparison.Ordinal);
                if (at < 0) return b;
                for (int skip = rng.NextInt(4); skip > 0; skip--)
                {
                    int next = json.IndexOf("\"dtype\":\"", at + 1, StringComparison.Ordinal);
                    if (next < 0) break;
                    at = next;
                }
                int start = at + 9, end = json.IndexOf('"', start);
                if (end < 0) return b;
                return WithHeader(b, headerLength, json[..start] + DTypes[rng.NextInt(DTypes.Length)] + json[end..]);
            }
            default: // append or drop bytes at the end of the data
                return rng.NextInt(2) == 0 ? [.. b, .. new byte[1 + rng.NextInt(16)]] : b[..Math.Max(0, b.Length - 1 - rng.NextInt(8))];
        }
    }

    private static bool IsNumberChar(char c) => c is >= '0' and <= '9';

    private static byte[] ReplaceInHeader(byte[] b, int headerLength, Rng rng, Func<char, bool> part, string replacement)
    {
        string json = HeaderText(b, headerLength);
        var starts = new List<int>();
        for (int i = 0; i < json.Length; i++)
            if (part(json[i]) && (i == 0 || !part(json[i - 1]))) starts.Add(i);
        if (starts.Count == 0) return b;
        int s = starts[rng.NextInt(starts.Count)], e = s;
        while (e < json.Length && part(json[e])) e++;
        return WithHeader(b, headerLength, json[..s] + replacement + json[e..]);
    }

    private static string HeaderText(byte[] b, int headerLength) => b.Length < 8 ? "" : Encoding.Latin1.GetString(b, 8, headerLength);

    /// <summary>Rebuilds the file with a new header (Latin-1 keeps every original byte) and a length field that matches it.</summary>
    private static byte[] WithHeader(byte[] b, int headerLength, string json)
    {
        if (b.Length < 8) return b;
        byte[] header = json.Any(c => c > 0xFF) ? Encoding.UTF8.GetBytes(json) : Encoding.Latin1.GetBytes(json);
        byte[] data = b[(8 + headerLength)..];
        return SafetensorsTests.File(header, data);
    }

    private static string Preview(byte[] b) => Encoding.UTF8.GetString(b, 0, Math.Min(b.Length, 300));
}
