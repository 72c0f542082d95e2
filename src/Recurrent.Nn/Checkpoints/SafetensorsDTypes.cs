// The element types a safetensors header may name, with their sizes in bytes.
namespace Recurrent.Nn.Checkpoints;

/// <summary>
/// Safetensors' dtype strings. Every whole-byte type of the reference implementation is known (a file holding them
/// loads, and their bytes are available raw); F32, F64, I32 and I64 also convert to typed arrays and tensors. The
/// sub-byte types (F4, F6_*) are rejected: nothing here could use them.
/// </summary>
public static class SafetensorsDTypes
{
    public const string F32 = "F32", F64 = "F64", I32 = "I32", I64 = "I64";

    private static readonly Dictionary<string, int> Sizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1, ["F8_E8M0"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["F64"] = 8, ["I64"] = 8, ["U64"] = 8, ["C64"] = 8,
    };

    /// <summary>The known dtype strings.</summary>
    public static IReadOnlyCollection<string> All => Sizes.Keys;

    public static bool IsKnown(string dtype) => Sizes.ContainsKey(dtype);

    /// <summary>Bytes per element; throws for a dtype this reader does not know.</summary>
    public static int SizeOf(string dtype) =>
        Sizes.TryGetValue(dtype, out int size) ? size : throw new ArgumentException($"unknown safetensors dtype '{dtype}'; known: {string.Join(", ", Sizes.Keys)}", nameof(dtype));

    internal static bool TryGetSize(string dtype, out int size) => Sizes.TryGetValue(dtype, out size);

    /// <summary>
    /// The reference writer orders tensors by descending alignment, then by name, so every tensor's data starts at a
    /// multiple of its element size once the header is padded to 8 bytes. Same order here.
    /// </summary>
    internal static int Alignment(string dtype) => Sizes.TryGetValue(dtype, out int size) ? size : 1;

    public static string Of(Recurrent.Tensors.DType dtype) => dtype switch
    {
        Recurrent.Tensors.DType.Float32 => F32,
        Recurrent.Tensors.DType.Float64 => F64,
        Recurrent.Tensors.DType.Int32 => I32,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no safetensors dtype for this tensor dtype"),
    };
}
