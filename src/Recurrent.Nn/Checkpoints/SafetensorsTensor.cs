// One named tensor of a safetensors file: dtype string, shape, and its raw little-endian bytes.
using System.Runtime.InteropServices;
using Recurrent.Tensors;

namespace Recurrent.Nn.Checkpoints;

/// <summary>
/// A tensor as safetensors stores it. <see cref="Data"/> is exactly ElementCount × element size bytes, row-major and
/// little-endian; typed views (<see cref="ToFloat32"/> …) and <see cref="ToTensor"/> convert from it. Any known dtype
/// can be held (its bytes kept raw); F32, F64, I32 and I64 convert to typed arrays.
/// </summary>
public sealed class SafetensorsTensor : IEquatable<SafetensorsTensor>
{
    private readonly int[] _shape;

    /// <param name="data">Exactly product(shape) × element size bytes; kept, not copied.</param>
    public SafetensorsTensor(string name, string dtype, ReadOnlySpan<int> shape, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dtype);
        if (name == Safetensors.MetadataKey) throw new ArgumentException($"'{Safetensors.MetadataKey}' is reserved for the metadata and cannot name a tensor", nameof(name));
        if (!SafetensorsDTypes.TryGetSize(dtype, out int size))
            throw new ArgumentException($"unknown safetensors dtype '{dtype}'; known: {string.Join(", ", SafetensorsDTypes.All)}", nameof(dtype));
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0) throw new ArgumentException($"dimension {i} of {Tensor.ShapeString(shape)} is negative", nameof(shape));
            count = checked(count * shape[i]);
        }
        if (data.Length != checked(count * size))
            throw new ArgumentException($"tensor '{name}': {dtype} {Tensor.ShapeString(shape)} needs {count * size} bytes; got {data.Length}", nameof(data));
        Name = name;
        DType = dtype;
        _shape = shape.ToArray();
        ElementCount = count;
        Data = data;
    }

    public string Name { get; }

    /// <summary>Safetensors' dtype string: "F32", "F64", "I32", "I64", "U8", …</summary>
    public string DType { get; }

    public ReadOnlySpan<int> Shape => _shape;
    public int Rank => _shape.Length;
    public long ElementCount { get; }

    /// <summary>Raw little-endian, row-major bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    public long ByteLength => Data.Length;

    public string ShapeText => Tensor.ShapeString(_shape);

    public override string ToString() => $"{Name}: {DType} {ShapeText}";

    // ---- factories ----------------------------------------------------------------------------------

    public static SafetensorsTensor FromFloat32(string name, ReadOnlySpan<float> values, ReadOnlySpan<int> shape) => new(name, SafetensorsDTypes.F32, shape, ToBytes(values));
    public static SafetensorsTensor FromFloat64(string name, ReadOnlySpan<double> values, ReadOnlySpan<int> shape) => new(name, SafetensorsDTypes.F64, shape, ToBytes(values));
    public static SafetensorsTensor FromInt32(string name, ReadOnlySpan<int> values, ReadOnlySpan<int> shape) => new(name, SafetensorsDTypes.I32, shape, ToBytes(values));
    public static SafetensorsTensor FromInt64(string name, ReadOnlySpan<long> values, ReadOnlySpan<int> shape) => new(name, SafetensorsDTypes.I64, shape, ToBytes(values));

    /// <summary>A copy of <paramref name="tensor"/>'s values (read back from its device) under <paramref name="name"/>.</summary>
    public static SafetensorsTensor FromTensor(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var bytes = new byte[tensor.Length * tensor.DType.SizeInBytes()];
        tensor.Device.Read(tensor, bytes); // the device hands out little-endian bytes
        return new SafetensorsTensor(name, SafetensorsDTypes.Of(tensor.DType), tensor.Shape, bytes);
    }

    // ---- typed views --------------------------------------------------------------------------------

    public float[] ToFloat32() => Typed<float>(SafetensorsDTypes.F32);
    public double[] ToFloat64() => Typed<double>(SafetensorsDTypes.F64);

    /// <summary>I32 values; I64 values too when every one fits in an int (else throws: use <see cref="ToInt64"/>).</summary>
    public int[] ToInt32()
    {
        if (DType == SafetensorsDTypes.I64)
            return TryNarrow(ToInt64(), out int[]? narrow) ? narrow
                : throw new InvalidOperationException($"tensor '{Name}' holds I64 values outside the int32 range; read it with ToInt64()");
        return Typed<int>(SafetensorsDTypes.I32);
    }

    /// <summary>I64 values (I32 widened).</summary>
    public long[] ToInt64()
    {
        if (DType == SafetensorsDTypes.I32) return Array.ConvertAll(Typed<int>(SafetensorsDTypes.I32), v => (long)v);
        return Typed<long>(SafetensorsDTypes.I64);
    }

    /// <summary>
    /// The values as the natural array: float[] (F32), double[] (F64), int[] (I32, and I64 when every value fits in an
    /// int), long[] (I64 otherwise); null for the dtypes kept raw only.
    /// </summary>
    public Array? Values => DType switch
    {
        SafetensorsDTypes.F32 => ToFloat32(),
        SafetensorsDTypes.F64 => ToFloat64(),
        SafetensorsDTypes.I32 => ToInt32(),
        SafetensorsDTypes.I64 => TryNarrow(ToInt64(), out int[]? narrow) ? narrow : ToInt64(),
        _ => null,
    };

    /// <summary>
    /// A new tensor on <paramref name="device"/>. F32 and F64 convert to <paramref name="dtype"/> when it is the other
    /// float type (as PyTorch's copy_ does); I32, and I64 whose values all fit, become Int32.
    /// </summary>
    public Tensor ToTensor(DType? dtype = null, Device? device = null)
    {
        DType target = dtype ?? DType switch
        {
            SafetensorsDTypes.F32 => Recurrent.Tensors.DType.Float32,
            SafetensorsDTypes.F64 => Recurrent.Tensors.DType.Float64,
            SafetensorsDTypes.I32 or SafetensorsDTypes.I64 => Recurrent.Tensors.DType.Int32,
            _ => throw new InvalidOperationException($"tensor '{Name}' is {DType}; a Tensor holds F32, F64 or I32 (or I64 that fits)"),
        };
        var result = Tensor.Zeros(_shape, target, device);
        try
        {
            CopyTo(result);
        }
        catch
        {
            result.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>Copies the values into <paramref name="destination"/> (same element count), converting F32 ↔ F64.</summary>
    public void CopyTo(Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Length != ElementCount)
            throw new ArgumentException($"tensor '{Name}' has {ElementCount} elements ({ShapeText}); the destination {destination.ShapeText} has {destination.Length}", nameof(destination));
        switch (destination.DType, DType)
        {
            case (Recurrent.Tensors.DType.Float32, SafetensorsDTypes.F32):
            case (Recurrent.Tensors.DType.Float64, SafetensorsDTypes.F64):
            case (Recurrent.Tensors.DType.Int32, SafetensorsDTypes.I32):
                if (BitConverter.IsLittleEndian) destination.Device.Write(destination, Data.Span);
                else if (destination.DType == Recurrent.Tensors.DType.Float32) destination.CopyFrom<float>(ToFloat32());
                else if (destination.DType == Recurrent.Tensors.DType.Float64) destination.CopyFrom<double>(ToFloat64());
                else destination.CopyFrom<int>(ToInt32());
                break;
            case (Recurrent.Tensors.DType.Float32, SafetensorsDTypes.F64):
                destination.CopyFrom<float>(Array.ConvertAll(ToFloat64(), v => (float)v));
                break;
            case (Recurrent.Tensors.DType.Float64, SafetensorsDTypes.F32):
                destination.CopyFrom<double>(Array.ConvertAll(ToFloat32(), v => (double)v));
                break;
            case (Recurrent.Tensors.DType.Int32, SafetensorsDTypes.I64):
                destination.CopyFrom<int>(ToInt32());
                break;
            default:
                throw new InvalidOperationException($"tensor '{Name}' is {DType}; it cannot be copied into a {destination.DType.Name()} tensor");
        }
    }

    /// <summary>Same name, dtype, shape and bytes.</summary>
    public bool Equals(SafetensorsTensor? other) =>
        other is not null && Name == other.Name && DType == other.DType && Shape.SequenceEqual(other.Shape) && Data.Span.SequenceEqual(other.Data.Span);

    public override bool Equals(object? obj) => Equals(obj as SafetensorsTensor);

    public override int GetHashCode() => HashCode.Combine(Name, DType, _shape.Length, Data.Length);

    // ---- little-endian conversion ---------------------------------------------------------------------

    private T[] Typed<T>(string expected) where T : unmanaged
    {
        if (DType != expected) throw new InvalidOperationException($"tensor '{Name}' is {DType}, not {expected}");
        var result = new T[ElementCount];
        Data.Span.CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        if (!BitConverter.IsLittleEndian) SwapInPlace(MemoryMarshal.AsBytes(result.AsSpan()), System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        return result;
    }

    private static byte[] ToBytes<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        byte[] bytes = MemoryMarshal.AsBytes(values).ToArray();
        if (!BitConverter.IsLittleEndian) SwapInPlace(bytes, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        return bytes;
    }

    private static void SwapInPlace(Span<byte> bytes, int elementSize)
    {
        for (int i = 0; i + elementSize <= bytes.Length; i += elementSize) bytes.Slice(i, elementSize).Reverse();
    }

    private static bool TryNarrow(long[] values, out int[] narrow)
    {
        narrow = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is < int.MinValue or > int.MaxValue) return false;
            narrow[i] = (int)values[i];
        }
        return true;
    }
}
