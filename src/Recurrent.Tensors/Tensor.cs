// The tensor: a shape and an element type over a contiguous, row-major range of one device's storage.
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tensors;

/// <summary>
/// A row-major tensor. Always contiguous: views are taken along the leading dimension only
/// (a time step of a [T, B, H] tensor is a [B, H] view), and reshapes keep the data in place.
/// A tensor made by a factory owns its storage; a view shares it and never frees it.
/// </summary>
public sealed class Tensor : IDisposable
{
    private readonly int[] _shape;

    private Tensor(Storage storage, long offset, int[] shape, bool ownsStorage)
    {
        Storage = storage;
        Offset = offset;
        _shape = shape;
        Length = ElementCount(shape);
        OwnsStorage = ownsStorage;
    }

    public Storage Storage { get; }

    /// <summary>Element offset of this tensor's first element inside <see cref="Storage"/>.</summary>
    public long Offset { get; }

    public bool OwnsStorage { get; }

    public Device Device => Storage.Device;
    public DType DType => Storage.DType;

    /// <summary>Number of elements (the product of the shape; 1 for a rank-0 tensor).</summary>
    public long Length { get; }

    public ReadOnlySpan<int> Shape => _shape;
    public int Rank => _shape.Length;

    /// <summary>Size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if ((uint)a >= (uint)Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"axis must be in [-{Rank}, {Rank}) for shape {ShapeString(_shape)}");
        return _shape[a];
    }

    // ---- factories -------------------------------------------------------------------------

    public static Tensor Zeros(ReadOnlySpan<int> shape, DType dtype = DType.Float32, Device? device = null)
    {
        int[] s = CheckedShape(shape, nameof(shape));
        device ??= Device.Cpu;
        return new Tensor(device.Allocate(dtype, ElementCount(s)), 0, s, ownsStorage: true);
    }

    public static Tensor Zeros(params int[] shape) => Zeros(shape.AsSpan());

    /// <summary>
    /// <paramref name="buffer"/> when it already has this shape, dtype and device, else a new zero-filled tensor stored
    /// into it: how modules keep their results across calls so a steady training step allocates nothing.
    /// </summary>
    public static Tensor Reuse(ref Tensor? buffer, ReadOnlySpan<int> shape, DType dtype, Device device)
    {
        if (buffer is null || buffer.DType != dtype || buffer.Device != device || !buffer.Shape.SequenceEqual(shape))
            buffer = Zeros(shape, dtype, device);
        return buffer;
    }

    /// <summary>A tensor of the same shape, dtype and device as <paramref name="like"/>, zero-filled.</summary>
    public static Tensor ZerosLike(Tensor like) => Zeros(like.Shape, like.DType, like.Device);

    /// <summary>Copies <paramref name="data"/> into a new tensor of <paramref name="shape"/> (row-major).</summary>
    public static Tensor From<T>(ReadOnlySpan<T> data, ReadOnlySpan<int> shape, Device? device = null) where T : unmanaged
    {
        int[] s = CheckedShape(shape, nameof(shape));
        long n = ElementCount(s);
        if (data.Length != n)
            throw new ArgumentException($"data has {data.Length} elements but shape {ShapeString(s)} needs {n}", nameof(data));
        var t = Zeros(s, DTypeExtensions.Of<T>(), device);
        t.CopyFrom(data);
        return t;
    }

    public static Tensor From(float[] data, params int[] shape) => From<float>(data, shape);
    public static Tensor From(double[] data, params int[] shape) => From<double>(data, shape);
    public static Tensor From(int[] data, params int[] shape) => From<int>(data, shape);

    /// <summary>A rank-0 tensor holding one value.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null)
    {
        var t = Zeros(ReadOnlySpan<int>.Empty, dtype, device);
        t.Device.Fill(t, value);
        return t;
    }

    // ---- views -----------------------------------------------------------------------------

    /// <summary>The <paramref name="index"/>-th entry along the leading dimension, without copying: [d0, d1, …] → [d1, …].</summary>
    [IndexerName("Entry")] // the default name, Item, is taken by Item() (PyTorch's .item())
    public Tensor this[int index] => Select(index);

    public Tensor Select(int index)
    {
        if (Rank == 0) throw new InvalidOperationException("cannot index a rank-0 tensor");
        if ((uint)index >= (uint)_shape[0])
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {_shape[0]}) for shape {ShapeString(_shape)}");
        int[] rest = _shape[1..];
        return new Tensor(Storage, Offset + index * ElementCount(rest), rest, ownsStorage: false);
    }

    /// <summary>Entries [start, start+count) along the leading dimension, without copying.</summary>
    public Tensor Narrow(int start, int count)
    {
        if (Rank == 0) throw new InvalidOperationException("cannot narrow a rank-0 tensor");
        if (start < 0 || count < 0 || start > _shape[0] - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"range [{start}, {start}+{count}) is outside the leading dimension {_shape[0]} of shape {ShapeString(_shape)}");
        int[] s = (int[])_shape.Clone();
        s[0] = count;
        return new Tensor(Storage, Offset + start * ElementCount(_shape.AsSpan(1)), s, ownsStorage: false);
    }

    /// <summary>The same elements under another shape (one entry may be -1, inferred), without copying.</summary>
    public Tensor Reshape(params int[] shape)
    {
        int[] s = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException("only one dimension may be -1", nameof(shape));
                infer = i;
            }
            else if (s[i] < 0) throw new ArgumentException($"dimension {i} is {s[i]}; sizes must be >= 0 (or -1 to infer)", nameof(shape));
            else known *= s[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Length % known != 0)
                throw new ArgumentException($"cannot reshape {ShapeString(_shape)} ({Length} elements) to {ShapeString(shape)}", nameof(shape));
            s[infer] = (int)(Length / known);
        }
        if (ElementCount(s) != Length)
            throw new ArgumentException($"cannot reshape {ShapeString(_shape)} ({Length} elements) to {ShapeString(s)}", nameof(shape));
        return new Tensor(Storage, Offset, s, ownsStorage: false);
    }

    // ---- host access -----------------------------------------------------------------------

    /// <summary>The elements as a span; CPU tensors only (other devices: <see cref="ToArray{T}"/>).</summary>
    public unsafe Span<T> AsSpan<T>() where T : unmanaged
    {
        CheckElementType<T>();
        if (Storage is not CpuStorage cpu)
            throw new InvalidOperationException($"AsSpan needs a CPU tensor; this one is on {Device.Name}. Use ToArray or To(Device.Cpu).");
        cpu.ThrowIfDisposed();
        return new Span<T>((T*)cpu.Pointer + Offset, checked((int)Length));
    }

    /// <summary>The raw bytes of a CPU tensor, whatever its dtype (for transfers and checkpoints).</summary>
    internal unsafe Span<byte> CpuBytes()
    {
        var cpu = (CpuStorage)Storage;
        cpu.ThrowIfDisposed();
        return new Span<byte>((byte*)cpu.Pointer + ByteOffset, checked((int)(Length * DType.SizeInBytes())));
    }

    public T[] ToArray<T>() where T : unmanaged
    {
        CheckElementType<T>();
        var result = new T[Length];
        Device.Read(this, MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    public void CopyFrom<T>(ReadOnlySpan<T> source) where T : unmanaged
    {
        CheckElementType<T>();
        if (source.Length != Length)
            throw new ArgumentException($"source has {source.Length} elements; this tensor {ShapeString(_shape)} has {Length}", nameof(source));
        Device.Write(this, MemoryMarshal.AsBytes(source));
    }

    public void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        CheckElementType<T>();
        if (destination.Length < Length)
            throw new ArgumentException($"destination has {destination.Length} elements; this tensor {ShapeString(_shape)} needs {Length}", nameof(destination));
        Device.Read(this, MemoryMarshal.AsBytes(destination[..checked((int)Length)]));
    }

    /// <summary>The single element of a one-element tensor, as a double (reads back from the device).</summary>
    public double Item()
    {
        if (Length != 1) throw new InvalidOperationException($"Item() needs a one-element tensor; this one has shape {ShapeString(_shape)}");
        return DType switch
        {
            DType.Float32 => ToArray<float>()[0],
            DType.Float64 => ToArray<double>()[0],
            _ => ToArray<int>()[0],
        };
    }

    /// <summary>A copy on <paramref name="device"/> (a new tensor even when it is the same device).</summary>
    public Tensor To(Device device)
    {
        var result = Zeros(_shape, DType, device);
        var bytes = new byte[Length * DType.SizeInBytes()];
        Device.Read(this, bytes);
        device.Write(result, bytes);
        return result;
    }

    /// <summary>A copy on the same device, made there (no trip through the host, so a GPU queue does not wait).</summary>
    public Tensor Clone()
    {
        var result = Zeros(_shape, DType, Device);
        Device.Copy(this, result);
        return result;
    }

    public void Dispose()
    {
        if (OwnsStorage) Storage.Dispose();
    }

    // ---- shape helpers ---------------------------------------------------------------------

    public bool SameShape(Tensor other) => _shape.AsSpan().SequenceEqual(other._shape);

    public static string ShapeString(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shape[i]);
        }
        return sb.Append(']').ToString();
    }

    public string ShapeText => ShapeString(_shape);

    internal static long ElementCount(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape) n = checked(n * d);
        return n;
    }

    private static int[] CheckedShape(ReadOnlySpan<int> shape, string argument)
    {
        for (int i = 0; i < shape.Length; i++)
            if (shape[i] < 0)
                throw new ArgumentException($"dimension {i} of {ShapeString(shape)} is negative; sizes must be >= 0", argument);
        if (ElementCount(shape) > int.MaxValue)
            throw new ArgumentException($"shape {ShapeString(shape)} has more than {int.MaxValue} elements", argument);
        return shape.ToArray();
    }

    private void CheckElementType<T>() where T : unmanaged
    {
        if (DTypeExtensions.Of<T>() != DType)
            throw new InvalidOperationException($"this tensor holds {DType.Name()}, not {DTypeExtensions.Of<T>().Name()}");
    }

    // ---- printing ---------------------------------------------------------------------------

    /// <summary>PyTorch-like text: every element for small tensors, the first and last three of each row beyond that.</summary>
    public override string ToString()
    {
        if (Storage.IsDisposed) return $"tensor(<disposed>, shape={ShapeString(_shape)}, dtype={DType.Name()})";
        double[] values = DType switch
        {
            DType.Float32 => Array.ConvertAll(ToArray<float>(), v => (double)v),
            DType.Float64 => ToArray<double>(),
            _ => Array.ConvertAll(ToArray<int>(), v => (double)v),
        };
        var sb = new StringBuilder("tensor(");
        AppendNested(sb, values, 0, 0, indent: 7);
        sb.Append(", shape=").Append(ShapeString(_shape));
        sb.Append(", dtype=").Append(DType.Name());
        if (Device != Device.Cpu) sb.Append(", device=").Append(Device.Name);
        return sb.Append(')').ToString();
    }

    private const int Edge = 3, FullLimit = 1000;

    private void AppendNested(StringBuilder sb, double[] values, int axis, long start, int indent)
    {
        if (axis == Rank)
        {
            sb.Append(FormatValue(values[start]));
            return;
        }
        int n = _shape[axis];
        long stride = ElementCount(_shape.AsSpan(axis + 1));
        bool summarize = Length > FullLimit && n > 2 * Edge;
        sb.Append('[');
        for (int i = 0; i < n; i++)
        {
            if (summarize && i == Edge)
            {
                sb.Append(axis == Rank - 1 ? "..., " : "...,\n" + new string(' ', indent + 1));
                i = n - Edge;
            }
            AppendNested(sb, values, axis + 1, start + i * stride, indent + 1);
            if (i < n - 1)
                sb.Append(axis == Rank - 1 ? ", " : ",\n" + new string(' ', indent + 1));
        }
        sb.Append(']');
    }

    private string FormatValue(double v) =>
        DType == DType.Int32 ? ((long)v).ToString(CultureInfo.InvariantCulture)
        : double.IsNaN(v) ? "nan"
        : double.IsPositiveInfinity(v) ? "inf"
        : double.IsNegativeInfinity(v) ? "-inf"
        : v.ToString("0.0000", CultureInfo.InvariantCulture);

    internal long ByteOffset => Offset * DType.SizeInBytes();
}
