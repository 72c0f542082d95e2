// Safetensors: round trips of every dtype, rank-0 and empty tensors, metadata; every malformed header rejected with its reason.
using System.Buffers.Binary;
using System.Text;
using Recurrent.Nn.Checkpoints;
using Recurrent.Tensors;

namespace Recurrent.Tests.Nn;

public class SafetensorsTests
{
    internal static byte[] File(string header, int dataBytes) => File(Encoding.UTF8.GetBytes(header), new byte[dataBytes]);

    internal static byte[] File(byte[] header, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    /// <summary>Reads through both entry points (memory and stream); they must agree.</summary>
    internal static SafetensorsFile ReadBoth(byte[] bytes)
    {
        SafetensorsFile? fromMemory = null;
        SafetensorsFormatException? memoryError = null, streamError = null;
        try { fromMemory = Safetensors.Read(bytes); } catch (SafetensorsFormatException e) { memoryError = e; }
        SafetensorsFile? fromStream = null;
        try { fromStream = Safetensors.Read(new MemoryStream(bytes)); } catch (SafetensorsFormatException e) { streamError = e; }
        Assert.Equal(memoryError?.Message, streamError?.Message);
        if (memoryError is not null) throw memoryError;
        Assert.Equal(fromMemory!.Tensors, fromStream!.Tensors);
        Assert.Equal(fromMemory.Metadata, fromStream.Metadata);
        return fromMemory;
    }

    private static SafetensorsTensor[] EveryDType() =>
    [
        SafetensorsTensor.FromFloat32("f32", [1.5f, -2.25f, float.NaN, float.PositiveInfinity, -0f, 3e-39f], [2, 3]),
        SafetensorsTensor.FromFloat64("f64", [Math.PI, -1e300, double.Epsilon], [3]),
        SafetensorsTensor.FromInt32("i32", [int.MinValue, -1, 0, int.MaxValue], [2, 1, 2]),
        SafetensorsTensor.FromInt64("i64", [long.MinValue, 1L << 40, -7], [3]),
        SafetensorsTensor.FromFloat32("scalar", [42.5f], []),
        SafetensorsTensor.FromFloat64("empty", [], [0, 4]),
        SafetensorsTensor.FromInt64("empty_i64", [], [3, 0]),
        new SafetensorsTensor("raw_u8", "U8", [3], new byte[] { 1, 2, 255 }),
        new SafetensorsTensor("raw_bf16", "BF16", [2], new byte[] { 0x80, 0x3F, 0x00, 0x40 }),
    ];

    [Fact]
    public void EveryDTypeRankZeroEmptyAndMetadataRoundTrip()
    {
        var tensors = EveryDType();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\"\nnew line", ["empty"] = "" };
        byte[] bytes = Safetensors.Serialize(tensors, metadata);
        var file = ReadBoth(bytes);

        Assert.Equal(tensors.OrderBy(t => t.Name), file.Tensors.OrderBy(t => t.Name));
        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(new[] { 1.5f, -2.25f, float.NaN, float.PositiveInfinity, -0f, 3e-39f }, file["f32"].ToFloat32());
        Assert.True(float.IsNegative(file["f32"].ToFloat32()[4]));
        Assert.Equal(new[] { Math.PI, -1e300, double.Epsilon }, file["f64"].ToFloat64());
        Assert.Equal(new[] { int.MinValue, -1, 0, int.MaxValue }, file["i32"].ToInt32());
        Assert.Equal(new[] { long.MinValue, 1L << 40, -7 }, file["i64"].ToInt64());
        Assert.Equal(0, file["scalar"].Rank);
        Assert.Equal(1, file["scalar"].ElementCount);
        Assert.Equal(42.5f, file["scalar"].ToFloat32().Single());
        Assert.Equal(new[] { 0, 4 }, file["empty"].Shape.ToArray());
        Assert.Empty(file["empty"].ToFloat64());
        Assert.Equal(new byte[] { 1, 2, 255 }, file["raw_u8"].Data.ToArray());
        Assert.Null(file["raw_u8"].Values);
    }

    [Fact]
    public void HeaderFollowsTheReferenceWriter()
    {
        byte[] bytes = Safetensors.Serialize(EveryDType(), new Dictionary<string, string> { ["format"] = "pt" });
        var header = Safetensors.ParseHeader(bytes);
        Assert.Equal(0, header.HeaderLength % 8);                       // padded with spaces to 8 bytes
        Assert.Equal((byte)'{', bytes[8]);
        string json = Encoding.UTF8.GetString(bytes, 8, (int)header.HeaderLength);
        Assert.StartsWith("{\"__metadata__\":{\"format\":\"pt\"}", json);
        // Descending element size, then name: every tensor's data is aligned to its element size.
        Assert.Equal(["empty", "empty_i64", "f64", "i64", "f32", "i32", "scalar", "raw_bf16", "raw_u8"], header.Entries.Select(e => e.Name));
        foreach (var e in header.Entries)
            Assert.Equal(0, (header.DataStart + e.Begin) % SafetensorsDTypes.SizeOf(e.DType));
    }

    [Fact]
    public void I64ReadsAsInt32OnlyWhenEveryValueFits()
    {
        var small = SafetensorsTensor.FromInt64("small", [-2, 0, int.MaxValue], [3]);
        var large = SafetensorsTensor.FromInt64("large", [1L << 40, 0], [2]);
        Assert.Equal(new[] { -2, 0, int.MaxValue }, Assert.IsType<int[]>(small.Values));
        Assert.Equal(new[] { 1L << 40, 0 }, Assert.IsType<long[]>(large.Values));
        Assert.Throws<InvalidOperationException>(() => large.ToInt32());
        using var t = small.ToTensor();
        Assert.Equal(DType.Int32, t.DType);
        Assert.Equal(new[] { -2, 0, int.MaxValue }, t.ToArray<int>());
    }

    [Fact]
    public void TensorsConvertBetweenFloatTypes()
    {
        var f32 = SafetensorsTensor.FromFloat32("a", [0.1f, -3f], [2]);
        using var asDouble = f32.ToTensor(DType.Float64);
        Assert.Equal(new[] { (double)0.1f, -3.0 }, asDouble.ToArray<double>());
        using var original = Tensor.From(new double[] { 1.0 / 3, 2 }, 1, 2);
        var f64 = SafetensorsTensor.FromTensor("b", original);
        Assert.Equal("F64", f64.DType);
        using var asFloat = f64.ToTensor(DType.Float32);
        Assert.Equal(new[] { (float)(1.0 / 3), 2f }, asFloat.ToArray<float>());
    }

    [Fact]
    public void WriterRejectsDuplicateNamesAndBadTensors()
    {
        var a = SafetensorsTensor.FromFloat32("a", [1f], [1]);
        Assert.Throws<ArgumentException>(() => Safetensors.Serialize([a, a]));
        Assert.Throws<ArgumentException>(() => new SafetensorsTensor("x", "F32", [2], new byte[4]));
        Assert.Throws<ArgumentException>(() => new SafetensorsTensor("x", "F17", [1], new byte[4]));
        Assert.Throws<ArgumentException>(() => new SafetensorsTensor("__metadata__", "F32", [1], new byte[4]));
    }

    [Fact]
    public void AnEmptyFileHoldsNoTensors()
    {
        var file = ReadBoth(Safetensors.Serialize([]));
        Assert.Empty(file.Tensors);
        Assert.Empty(file.Metadata);
        Assert.Empty(ReadBoth(File("{}", 0)).Tensors);
        Assert.Empty(ReadBoth(File("{\"__metadata__\":null}    ", 0)).Tensors);
    }

    public static TheoryData<string, int, string> BadHeaders() => new()
    {
        { "{\"a\":", 0, "not valid JSON" },
        { "{\"a\":{}} x", 0, "not valid JSON" },
        { "{\"a\":{},}", 0, "not valid JSON" },
        { "[1, 2]", 0, "starting with '{'" },
        { " {}", 0, "starting with '{'" },
        { "", 0, "empty" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "'a' appears twice" },
        { "{\"__metadata__\":{},\"__metadata__\":{}}", 0, "appears twice" },
        { "{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", 0, "'k' appears twice" },
        { "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "'dtype' appears twice" },
        { "{\"a\":{\"dtype\":\"F17\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "unknown dtype 'F17'" },
        { "{\"a\":{\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "unknown dtype 'f32'" },
        { "{\"a\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "dtype must be a string" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "shape entry 0 is -1" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1,2.5],\"data_offsets\":[0,4]}}", 4, "shape entry 1 is 2.5" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1e0],\"data_offsets\":[0,4]}}", 4, "shape entry 0 is 1e0" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[\"1\"],\"data_offsets\":[0,4]}}", 4, "shape entry 0 is \"1\"" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[3000000000],\"data_offsets\":[0,4]}}", 4, "shape entry 0 is 3000000000" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":{},\"data_offsets\":[0,4]}}", 4, "shape must be an array" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4, "data_offsets must be an array [begin, end]" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4, "data_offsets begin is -4" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8, "end before they begin" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,18446744073709551615]}}", 4, "run past the end of the data section" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,8]}}", 4, "run past the end of the data section (4 bytes)" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 12, "needs 16 bytes but data_offsets [0, 12] hold 12" },
        { "{\"a\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8, "overflows" },
        { "{\"a\":{\"dtype\":\"F64\",\"shape\":[1073741824,1073741824,8],\"data_offsets\":[0,8]}}", 8, "overflows" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "does not start at offset 0" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "'b' (data_offsets [4, 12]) overlaps tensor 'a'" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "overlaps" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12, "bytes [4, 8) of the data belong to no tensor" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8, "the tensors end at 4" },
        { "{}", 3, "the tensors end at 0" },
        { "{\"__metadata__\":{\"k\":1}}", 0, "metadata values must be strings" },
        { "{\"__metadata__\":{\"k\":null}}", 0, "metadata values must be strings" },
        { "{\"__metadata__\":[\"k\"]}", 0, "must be an object of string values" },
        { "{\"a\":5}", 0, "must be an object with dtype, shape and data_offsets" },
        { "{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "missing 'dtype'" },
        { "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, "missing 'shape'" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "missing 'data_offsets'" },
        { "{\"__metadata__\":" + new string('[', 100) + new string(']', 100) + "}", 0, "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void MalformedHeadersAreRejectedWithTheReason(string header, int dataBytes, string reason)
    {
        var e = Assert.Throws<SafetensorsFormatException>(() => ReadBoth(File(header, dataBytes)));
        Assert.Contains(reason, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void FilesShorterThanTheLengthPrefixAreRejected()
    {
        for (int n = 0; n < 8; n++)
        {
            var e = Assert.Throws<SafetensorsFormatException>(() => ReadBoth(new byte[n]));
            Assert.Contains($"file is {n} bytes", e.Message);
        }
    }

    [Fact]
    public void HeaderLengthsOverTheLimitOrPastTheEndAreRejectedBeforeAllocating()
    {
        byte[] bytes = File("{}", 0);
        foreach (ulong n in new ulong[] { 100_000_001, ulong.MaxValue, 1UL << 63 })
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, n);
            Assert.Contains("limit", Assert.Throws<SafetensorsFormatException>(() => ReadBoth(bytes)).Message);
        }
        foreach (ulong n in new ulong[] { 3, 100, 99_999_999 })
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, n);
            Assert.Contains("runs past the end of the file", Assert.Throws<SafetensorsFormatException>(() => ReadBoth(bytes)).Message);
        }
    }

    [Fact]
    public void InvalidUtf8IsRejectedWithItsPosition()
    {
        byte[] header = Encoding.UTF8.GetBytes("{\"__metadata__\":{\"k\":\"abc\"}}");
        header[23] = 0xFF;
        var e = Assert.Throws<SafetensorsFormatException>(() => ReadBoth(File(header, [])));
        Assert.Contains("not valid UTF-8 (byte 31", e.Message);
        // An overlong encoding of '/' and a truncated sequence at the end are invalid too.
        Assert.Throws<SafetensorsFormatException>(() => ReadBoth(File([.. "{\"a\":\""u8, 0xC0, 0xAF, .. "\"}"u8], [])));
        Assert.Throws<SafetensorsFormatException>(() => ReadBoth(File([.. "{}"u8, 0xE2, 0x82], [])));
    }

    [Fact]
    public void LoneSurrogateEscapesAreFormatErrorsNotCrashes()
    {
        foreach (string header in new[] { "{\"__metadata__\":{\"k\":\"\\ud800\"}}", "{\"\\udc00\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}" })
        {
            try
            {
                ReadBoth(File(header, header.Contains("dtype") ? 4 : 0));
            }
            catch (SafetensorsFormatException)
            {
                // Rejecting is fine; anything but this exception type is not.
            }
        }
    }

    [Fact]
    public void MessagesNameTheFileWhenLoadingFromDisk()
    {
        string path = Path.Combine(Path.GetTempPath(), $"recurrent-st-{Guid.NewGuid():N}.safetensors");
        try
        {
            System.IO.File.WriteAllBytes(path, File("{\"a\":{\"dtype\":\"F99\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
            var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(path));
            Assert.StartsWith($"{path}: tensor 'a': unknown dtype 'F99'", e.Message);
            Assert.Throws<SafetensorsFormatException>(() => Safetensors.LoadHeader(path));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void UnknownEntryKeysAreIgnoredLikeTheReferenceReader()
    {
        var file = ReadBoth(File("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":[1,{}]}}", 4));
        Assert.Equal(0f, file["a"].ToFloat32().Single());
    }

    [Fact]
    public void StreamsAreReadFromTheirCurrentPosition()
    {
        byte[] bytes = Safetensors.Serialize(EveryDType());
        var stream = new MemoryStream([.. new byte[5], .. bytes]);
        stream.Position = 5;
        Assert.Equal(EveryDType().Length, Safetensors.Read(stream).Tensors.Count);
        Assert.Equal(stream.Length, stream.Position);
    }
}
