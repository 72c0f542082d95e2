// The safetensors format, read and written here: 8-byte little-endian header length N, N bytes of JSON, raw data.
using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Recurrent.Nn.Checkpoints;

/// <summary>
/// Reader and writer of Hugging Face's safetensors format
/// (https://github.com/huggingface/safetensors, README "Format"):
/// <code>
/// bytes [0, 8)        N, unsigned 64-bit little-endian
/// bytes [8, 8+N)      UTF-8 JSON object: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, …,
///                     "__metadata__": {"key": "value", …}}   (metadata optional, string → string)
/// bytes [8+N, EOF)    the data section; offsets are relative to its start, row-major, little-endian
/// </code>
/// The reader treats every file as hostile. It checks, before allocating anything a header asks for: N ≤ 100 MB
/// (the reference limit) and within the file; UTF-8; a JSON object starting with '{'; no duplicate names (the
/// reference forbids them, JSON parsers differ); known dtypes; shape entries non-negative integers; each tensor's
/// byte length = product(shape) × element size (overflow checked); offsets that start at 0, neither overlap nor
/// leave holes, and end exactly at the end of the file; string-only metadata. Any violation is one
/// <see cref="SafetensorsFormatException"/> naming what and where. Nothing is read past the end, and nothing bigger
/// than the file is allocated.
/// The writer follows the reference serializer: tensors ordered by descending alignment then name, the header padded
/// with spaces to a multiple of 8 so every tensor's data is aligned to its element size.
/// </summary>
public static class Safetensors
{
    /// <summary>The header size limit of the reference implementation (100 MB).</summary>
    public const long MaxHeaderLength = 100_000_000;

    public const string MetadataKey = "__metadata__";

    private const int MaxJsonDepth = 64;

    // ---- reading --------------------------------------------------------------------------------------

    /// <summary>Reads and validates a whole file (header and data).</summary>
    public static SafetensorsFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads and validates only the header (the data section is checked by its length, never read).</summary>
    public static SafetensorsHeader LoadHeader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        return ReadHeader(stream, path);
    }

    /// <summary>
    /// Reads a file from the current position of a seekable stream to its end (its length must be known: the header is
    /// checked against it). <paramref name="source"/> names the stream in messages.
    /// </summary>
    public static SafetensorsFile Read(Stream stream, string? source = null)
    {
        SafetensorsHeader header = ReadHeader(stream, source);
        if (header.DataLength > Array.MaxLength)
            throw new NotSupportedException($"{source ?? "the file"} has {header.DataLength} bytes of tensor data; this reader holds at most {Array.MaxLength}");
        // The header has been checked against the stream's length: this is at most the file's size.
        var data = new byte[header.DataLength];
        ReadExactly(stream, data, header.DataStart, source);
        return new SafetensorsFile(header, data);
    }

    /// <summary>Reads and validates only the header of a seekable stream, leaving the stream at the start of the data.</summary>
    public static SafetensorsHeader ReadHeader(Stream stream, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead)
            throw new ArgumentException("safetensors needs a readable, seekable stream (its length bounds the header)", nameof(stream));
        long fileLength = stream.Length - stream.Position;
        if (fileLength < 8)
            throw Fail(source, $"file is {fileLength} bytes; a safetensors file starts with an 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(stream, prefix, 0, source);
        long n = CheckHeaderLength(BinaryPrimitives.ReadUInt64LittleEndian(prefix), fileLength, source);
        var json = new byte[n];
        ReadExactly(stream, json, 8, source);
        return ParseHeader(json, n, fileLength, source);
    }

    /// <summary>Reads a whole file held in memory. The tensors' <see cref="SafetensorsTensor.Data"/> are slices of <paramref name="bytes"/>, not copies.</summary>
    public static SafetensorsFile Read(ReadOnlyMemory<byte> bytes, string? source = null)
    {
        SafetensorsHeader header = ParseHeader(bytes.Span, source);
        return new SafetensorsFile(header, bytes[(int)header.DataStart..]);
    }

    /// <summary>Validates the header of a whole file held in memory.</summary>
    public static SafetensorsHeader ParseHeader(ReadOnlySpan<byte> bytes, string? source = null)
    {
        if (bytes.Length < 8)
            throw Fail(source, $"file is {bytes.Length} bytes; a safetensors file starts with an 8-byte header length");
        long n = CheckHeaderLength(BinaryPrimitives.ReadUInt64LittleEndian(bytes), bytes.Length, source);
        return ParseHeader(bytes.Slice(8, (int)n), n, bytes.Length, source);
    }

    private static long CheckHeaderLength(ulong n, long fileLength, string? source)
    {
        if (n > MaxHeaderLength)
            throw Fail(source, $"header length {n} (bytes 0-7) is over the {MaxHeaderLength}-byte limit");
        if ((long)n > fileLength - 8)
            throw Fail(source, $"header length {n} (bytes 0-7) runs past the end of the file ({fileLength} bytes, so at most {fileLength - 8})");
        return (long)n;
    }

    private static SafetensorsHeader ParseHeader(ReadOnlySpan<byte> json, long n, long fileLength, string? source)
    {
        long dataStart = 8 + n, dataLength = fileLength - dataStart;
        CheckUtf8(json, source);
        if (json.Length == 0 || json[0] != (byte)'{')
            throw Fail(source, json.Length == 0
                ? "header is empty; it must be a JSON object"
                : $"header must be a JSON object starting with '{{' at byte 8; it starts with 0x{json[0]:X2}");

        // JsonDocument needs memory it can keep; the header is at most the file's size.
        byte[] copy = json.ToArray();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(copy, new JsonDocumentOptions { MaxDepth = MaxJsonDepth, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw Fail(source, $"header (bytes 8-{dataStart - 1}) is not valid JSON: {e.Message}");
        }
        using (doc)
        {
            try
            {
                return Interpret(doc.RootElement, n, dataLength, source);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
            {
                // A string whose escapes decode to invalid UTF-16 (a lone surrogate) surfaces here.
                throw Fail(source, $"header holds a string that is not valid text: {e.Message}");
            }
        }
    }

    private static void CheckUtf8(ReadOnlySpan<byte> json, string? source)
    {
        Span<char> scratch = stackalloc char[1024];
        int offset = 0;
        while (offset < json.Length)
        {
            var status = Utf8.ToUtf16(json[offset..], scratch, out int read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            if (status is OperationStatus.InvalidData or OperationStatus.NeedMoreData)
                throw Fail(source, $"header is not valid UTF-8 (byte {8 + offset + read} of the file)");
            offset += read;
            if (status == OperationStatus.Done) break;
        }
    }

    private static SafetensorsHeader Interpret(JsonElement root, long n, long dataLength, string? source)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw Fail(source, $"header must be a JSON object; it is {root.ValueKind}");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty property in root.EnumerateObject())
        {
            string name = property.Name;
            if (!names.Add(name))
                throw Fail(source, name == MetadataKey ? $"'{MetadataKey}' appears twice in the header" : $"tensor name '{Clip(name)}' appears twice in the header");
            if (name == MetadataKey) ReadMetadata(property.Value, metadata, source);
            else entries.Add(ReadEntry(name, property.Value, dataLength, source));
        }
        CheckLayout(entries, dataLength, source);
        return new SafetensorsHeader(n, dataLength, entries, metadata);
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string? source)
    {
        if (value.ValueKind == JsonValueKind.Null) return; // the reference reader accepts null (an absent map)
        if (value.ValueKind != JsonValueKind.Object)
            throw Fail(source, $"'{MetadataKey}' must be an object of string values; it is {value.ValueKind}");
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Fail(source, $"'{MetadataKey}' value '{Clip(item.Name)}' is {item.Value.ValueKind}; metadata values must be strings");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Fail(source, $"'{MetadataKey}' key '{Clip(item.Name)}' appears twice");
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement value, long dataLength, string? source)
    {
        string where = $"tensor '{Clip(name)}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw Fail(source, $"{where}: its entry must be an object with dtype, shape and data_offsets; it is {value.ValueKind}");
        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty field in value.EnumerateObject())
        {
            if (!keys.Add(field.Name)) throw Fail(source, $"{where}: key '{Clip(field.Name)}' appears twice");
            switch (field.Name)
            {
                case "dtype": dtypeElement = field.Value; break;
                case "shape": shapeElement = field.Value; break;
                case "data_offsets": offsetsElement = field.Value; break;
                default: break; // the reference reader ignores other keys too
            }
        }
        if (dtypeElement is null || shapeElement is null || offsetsElement is null)
            throw Fail(source, $"{where}: missing '{(dtypeElement is null ? "dtype" : shapeElement is null ? "shape" : "data_offsets")}'");

        if (dtypeElement.Value.ValueKind != JsonValueKind.String)
            throw Fail(source, $"{where}: dtype must be a string; it is {dtypeElement.Value.ValueKind}");
        string dtype = dtypeElement.Value.GetString()!;
        if (!SafetensorsDTypes.TryGetSize(dtype, out int elementSize))
            throw Fail(source, $"{where}: unknown dtype '{Clip(dtype)}' (known: {string.Join(", ", SafetensorsDTypes.All)})");

        JsonElement shapeJson = shapeElement.Value;
        if (shapeJson.ValueKind != JsonValueKind.Array)
            throw Fail(source, $"{where}: shape must be an array of integers; it is {shapeJson.ValueKind}");
        var shape = new int[shapeJson.GetArrayLength()];
        int i = 0;
        bool hasZero = false;
        foreach (JsonElement dim in shapeJson.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d))
                throw Fail(source, $"{where}: shape entry {i} is {Raw(dim)}; it must be a non-negative integer");
            if (d < 0) throw Fail(source, $"{where}: shape entry {i} is {d}; sizes must be non-negative");
            if (d > int.MaxValue) throw Fail(source, $"{where}: shape entry {i} is {d}; sizes over {int.MaxValue} are not supported");
            hasZero |= d == 0;
            shape[i++] = (int)d;
        }

        JsonElement offsetsJson = offsetsElement.Value;
        if (offsetsJson.ValueKind != JsonValueKind.Array || offsetsJson.GetArrayLength() != 2)
            throw Fail(source, $"{where}: data_offsets must be an array [begin, end]; it is {Raw(offsetsJson)}");
        ulong begin = Offset(offsetsJson[0], "begin"), end = Offset(offsetsJson[1], "end");
        if (begin > end)
            throw Fail(source, $"{where}: data_offsets [{begin}, {end}] end before they begin");
        if (end > (ulong)dataLength)
            throw Fail(source, $"{where}: data_offsets [{begin}, {end}] run past the end of the data section ({dataLength} bytes)");

        long elements = 1, bytes;
        try
        {
            if (hasZero) elements = 0;
            else foreach (int d in shape) elements = checked(elements * d);
            bytes = checked(elements * elementSize);
        }
        catch (OverflowException)
        {
            throw Fail(source, $"{where}: {dtype} shape {Recurrent.Tensors.Tensor.ShapeString(shape)} overflows a 64-bit byte count");
        }
        if ((ulong)bytes != end - begin)
            throw Fail(source, $"{where}: {dtype} shape {Recurrent.Tensors.Tensor.ShapeString(shape)} needs {bytes} bytes but data_offsets [{begin}, {end}] hold {end - begin}");
        return new SafetensorsEntry(name, dtype, shape, (long)begin, (long)end);

        ulong Offset(JsonElement e, string which)
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetUInt64(out ulong v))
                throw Fail(source, $"{where}: data_offsets {which} is {Raw(e)}; it must be a non-negative integer");
            return v;
        }
    }

    /// <summary>The tensors must tile the data section: from 0, no overlap, no hole, up to its very end.</summary>
    private static void CheckLayout(List<SafetensorsEntry> entries, long dataLength, string? source)
    {
        var sorted = entries.ToArray();
        Array.Sort(sorted, (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        SafetensorsEntry? previous = null;
        foreach (var e in sorted)
        {
            if (e.Begin < expected)
                throw Fail(source, $"tensor '{Clip(e.Name)}' (data_offsets [{e.Begin}, {e.End}]) overlaps tensor '{Clip(previous!.Name)}' (data_offsets [{previous.Begin}, {previous.End}])");
            if (e.Begin > expected)
                throw Fail(source, previous is null
                    ? $"the data does not start at offset 0: the first tensor, '{Clip(e.Name)}', begins at {e.Begin}"
                    : $"bytes [{expected}, {e.Begin}) of the data belong to no tensor (a hole between '{Clip(previous.Name)}' and '{Clip(e.Name)}')");
            expected = e.End;
            previous = e;
        }
        if (expected != dataLength)
            throw Fail(source, $"the data section is {dataLength} bytes but the tensors end at {expected}: the file must end where the last tensor does");
    }

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static string Raw(JsonElement e) => Clip(e.GetRawText());

    private static SafetensorsFormatException Fail(string? source, string message) =>
        new(source is null ? message : $"{source}: {message}");

    private static void ReadExactly(Stream stream, Span<byte> buffer, long fileOffset, string? source)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int got = stream.Read(buffer[done..]);
            if (got == 0)
                throw Fail(source, $"the file ends at byte {fileOffset + done}, before the {buffer.Length} bytes expected from byte {fileOffset} (did it change while being read?)");
            done += got;
        }
    }

    // ---- writing --------------------------------------------------------------------------------------

    /// <summary>
    /// Writes <paramref name="path"/> atomically: into a temporary file in the same folder, flushed to disk, then
    /// renamed over the target. A failure at any point leaves the previous file as it was.
    /// </summary>
    public static void Save(string path, IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var prepared = Prepare(tensors, metadata);
        AtomicFile.Write(path, stream => WritePrepared(stream, prepared));
    }

    /// <summary>Writes the file to <paramref name="stream"/> at its current position.</summary>
    public static void Write(Stream stream, IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        WritePrepared(stream, Prepare(tensors, metadata));
    }

    /// <summary>The whole file as bytes.</summary>
    public static byte[] Serialize(IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var prepared = Prepare(tensors, metadata);
        using var stream = new MemoryStream(checked((int)(8 + prepared.Header.Length + prepared.Tensors.Sum(t => t.ByteLength))));
        WritePrepared(stream, prepared);
        return stream.ToArray();
    }

    private sealed record Prepared(byte[] Header, SafetensorsTensor[] Tensors);

    private static Prepared Prepare(IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in list)
        {
            ArgumentNullException.ThrowIfNull(t, nameof(tensors));
            if (!names.Add(t.Name)) throw new ArgumentException($"tensor name '{t.Name}' appears twice", nameof(tensors));
        }
        Array.Sort(list, (a, b) =>
        {
            int byAlignment = SafetensorsDTypes.Alignment(b.DType).CompareTo(SafetensorsDTypes.Alignment(a.DType));
            return byAlignment != 0 ? byAlignment : string.CompareOrdinal(a.Name, b.Name);
        });

        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    ArgumentNullException.ThrowIfNull(value, nameof(metadata));
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in list)
            {
                json.WriteStartObject(t.Name);
                json.WriteString("dtype", t.DType);
                json.WriteStartArray("shape");
                foreach (int d in t.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset += t.ByteLength);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        if (padded > MaxHeaderLength)
            throw new ArgumentException($"the header would be {padded} bytes, over the {MaxHeaderLength}-byte limit", nameof(tensors));
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return new Prepared(header, list);
    }

    private static void WritePrepared(Stream stream, Prepared prepared)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)prepared.Header.Length);
        stream.Write(prefix);
        stream.Write(prepared.Header);
        foreach (var t in prepared.Tensors) stream.Write(t.Data.Span);
    }
}

/// <summary>One tensor's header entry: name, dtype, shape and its byte range in the data section.</summary>
public sealed record SafetensorsEntry(string Name, string DType, IReadOnlyList<int> Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
    public string ShapeText => Recurrent.Tensors.Tensor.ShapeString(Shape.ToArray());
}

/// <summary>A validated header: the entries in header order, the metadata, and where the data lies.</summary>
public sealed class SafetensorsHeader
{
    internal SafetensorsHeader(long headerLength, long dataLength, IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        HeaderLength = headerLength;
        DataLength = dataLength;
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>N, the JSON header's length in bytes (padding included).</summary>
    public long HeaderLength { get; }

    /// <summary>File offset of the data section: 8 + N.</summary>
    public long DataStart => 8 + HeaderLength;

    public long DataLength { get; }
    public long FileLength => DataStart + DataLength;
    public IReadOnlyList<SafetensorsEntry> Entries { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }
}

/// <summary>A validated file: its tensors (in header order) and metadata.</summary>
public sealed class SafetensorsFile
{
    private readonly Dictionary<string, SafetensorsTensor> _byName;

    internal SafetensorsFile(SafetensorsHeader header, ReadOnlyMemory<byte> data)
    {
        Header = header;
        var tensors = new SafetensorsTensor[header.Entries.Count];
        for (int i = 0; i < tensors.Length; i++)
        {
            var e = header.Entries[i];
            tensors[i] = new SafetensorsTensor(e.Name, e.DType, e.Shape.ToArray(), data.Slice((int)e.Begin, (int)e.ByteLength));
        }
        Tensors = tensors;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public SafetensorsHeader Header { get; }
    public IReadOnlyList<SafetensorsTensor> Tensors { get; }
    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;
    public IEnumerable<string> Names => Tensors.Select(t => t.Name);

    public SafetensorsTensor this[string name] =>
        _byName.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"no tensor '{name}' in the file (it has {Tensors.Count}: {string.Join(", ", Names.Take(20))}{(Tensors.Count > 20 ? ", …" : "")})");

    public bool TryGetTensor(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SafetensorsTensor? tensor) => _byName.TryGetValue(name, out tensor);

    public bool Contains(string name) => _byName.ContainsKey(name);
}
