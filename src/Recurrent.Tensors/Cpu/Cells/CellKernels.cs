// Fused pointwise kernels of the LSTM and GRU cells on spans: one pass per step over [B, H], forward beside backward.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

/// <summary>
/// The plain scalar kernels (the reference <see cref="SimdCellKernels"/> is tested against, and its tail path).
/// The recurrent cells' pointwise math, fused: bias-free gate activations, the state update and what
/// backward needs, in one pass over the batch. The unfused oracle these are tested against composes the
/// primitive kernels (Activate, Mul, Add); see CellKernelTests.
/// </summary>
public static class CellKernels
{
    // gates: [B, 4H] (i, f, g, o) pre-activations in, activations out; cPrev, c, h: [B, H].
    public static void LstmForward<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> h, int batch, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckLstm(gates.Length, cPrev.Length, c.Length, h.Length, batch, hidden);
        for (int b = 0; b < batch; b++)
        {
            ref T g = ref MemoryMarshal.GetReference(gates.Slice(b * 4 * hidden, 4 * hidden));
            ref T cp = ref MemoryMarshal.GetReference(cPrev.Slice(b * hidden, hidden));
            ref T cn = ref MemoryMarshal.GetReference(c.Slice(b * hidden, hidden));
            ref T hn = ref MemoryMarshal.GetReference(h.Slice(b * hidden, hidden));
            for (int j = 0; j < hidden; j++) LstmForwardUnit(ref g, ref cp, ref cn, ref hn, hidden, j);
        }
    }

    /// <summary>Hidden unit j of one batch row (refs point at the row's gates and states).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void LstmForwardUnit<T>(ref T gates, ref T cPrev, ref T c, ref T h, int hidden, int j)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T gi = ref Unsafe.Add(ref gates, j);
        ref T gf = ref Unsafe.Add(ref gates, hidden + j);
        ref T gg = ref Unsafe.Add(ref gates, 2 * hidden + j);
        ref T go = ref Unsafe.Add(ref gates, 3 * hidden + j);
        T i = Sigmoid(gi), f = Sigmoid(gf), g = T.Tanh(gg), o = Sigmoid(go);
        gi = i;
        gf = f;
        gg = g;
        go = o;
        T cNew = f * Unsafe.Add(ref cPrev, j) + i * g;
        Unsafe.Add(ref c, j) = cNew;
        Unsafe.Add(ref h, j) = o * T.Tanh(cNew);
    }

    // gates: [B, 4H] activations; dh, dcNext: gradients reaching h_t and c_t from above and from t+1.
    // dcTotal: empty, or [B, H] receiving the whole dL/dc_t (for the gradient-norm instrument).
    public static void LstmBackward<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> c, ReadOnlySpan<T> dh, ReadOnlySpan<T> dcNext,
        Span<T> dGates, Span<T> dcPrev, Span<T> dcTotal, int batch, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckLstmBackward(gates.Length, cPrev.Length, c.Length, dh.Length, dcNext.Length, dGates.Length, dcPrev.Length, dcTotal.Length, batch, hidden);
        bool total = !dcTotal.IsEmpty;
        for (int b = 0; b < batch; b++)
        {
            int s = b * hidden;
            ref T g = ref MemoryMarshal.GetReference(gates.Slice(b * 4 * hidden, 4 * hidden));
            ref T dg = ref MemoryMarshal.GetReference(dGates.Slice(b * 4 * hidden, 4 * hidden));
            ref T cp = ref MemoryMarshal.GetReference(cPrev.Slice(s, hidden));
            ref T cn = ref MemoryMarshal.GetReference(c.Slice(s, hidden));
            ref T d = ref MemoryMarshal.GetReference(dh.Slice(s, hidden));
            ref T dcn = ref MemoryMarshal.GetReference(dcNext.Slice(s, hidden));
            ref T dcp = ref MemoryMarshal.GetReference(dcPrev.Slice(s, hidden));
            ref T dct = ref total ? ref MemoryMarshal.GetReference(dcTotal.Slice(s, hidden)) : ref dcp;
            for (int j = 0; j < hidden; j++) LstmBackwardUnit(ref g, ref cp, ref cn, ref d, ref dcn, ref dg, ref dcp, ref dct, total, hidden, j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void LstmBackwardUnit<T>(ref T gates, ref T cPrev, ref T c, ref T dh, ref T dcNext, ref T dGates, ref T dcPrev, ref T dcTotal, bool total, int hidden, int j)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T i = Unsafe.Add(ref gates, j), f = Unsafe.Add(ref gates, hidden + j);
        T g = Unsafe.Add(ref gates, 2 * hidden + j), o = Unsafe.Add(ref gates, 3 * hidden + j);
        T tc = T.Tanh(Unsafe.Add(ref c, j));
        T d = Unsafe.Add(ref dh, j);
        T dc = Unsafe.Add(ref dcNext, j) + d * o * (T.One - tc * tc);
        Unsafe.Add(ref dGates, j) = dc * g * i * (T.One - i);
        Unsafe.Add(ref dGates, hidden + j) = dc * Unsafe.Add(ref cPrev, j) * f * (T.One - f);
        Unsafe.Add(ref dGates, 2 * hidden + j) = dc * i * (T.One - g * g);
        Unsafe.Add(ref dGates, 3 * hidden + j) = d * tc * o * (T.One - o);
        Unsafe.Add(ref dcPrev, j) = dc * f;
        if (total) Unsafe.Add(ref dcTotal, j) = dc;
    }

    // xg, hg: [B, 3H] (r, z, n); bhh: [3H] or empty; saved: [B, 4H] receives (r, z, n, hg_n + b_hn).
    public static void GruForward<T>(ReadOnlySpan<T> xg, ReadOnlySpan<T> hg, ReadOnlySpan<T> bhh, ReadOnlySpan<T> hPrev, Span<T> saved, Span<T> h,
        int batch, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckGru(xg.Length, hg.Length, bhh.Length, hPrev.Length, saved.Length, h.Length, batch, hidden);
        ref T br = ref MemoryMarshal.GetReference(bhh.IsEmpty ? Zeros<T>(3 * hidden) : bhh);
        for (int b = 0; b < batch; b++)
        {
            ref T x = ref MemoryMarshal.GetReference(xg.Slice(b * 3 * hidden, 3 * hidden));
            ref T hr = ref MemoryMarshal.GetReference(hg.Slice(b * 3 * hidden, 3 * hidden));
            ref T sv = ref MemoryMarshal.GetReference(saved.Slice(b * 4 * hidden, 4 * hidden));
            ref T hp = ref MemoryMarshal.GetReference(hPrev.Slice(b * hidden, hidden));
            ref T hn = ref MemoryMarshal.GetReference(h.Slice(b * hidden, hidden));
            for (int j = 0; j < hidden; j++) GruForwardUnit(ref x, ref hr, ref br, ref hp, ref sv, ref hn, hidden, j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void GruForwardUnit<T>(ref T xg, ref T hg, ref T bhh, ref T hPrev, ref T saved, ref T h, int hidden, int j)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T r = Sigmoid(Unsafe.Add(ref xg, j) + Unsafe.Add(ref hg, j) + Unsafe.Add(ref bhh, j));
        T z = Sigmoid(Unsafe.Add(ref xg, hidden + j) + Unsafe.Add(ref hg, hidden + j) + Unsafe.Add(ref bhh, hidden + j));
        T hn = Unsafe.Add(ref hg, 2 * hidden + j) + Unsafe.Add(ref bhh, 2 * hidden + j);
        T n = T.Tanh(Unsafe.Add(ref xg, 2 * hidden + j) + r * hn);
        Unsafe.Add(ref saved, j) = r;
        Unsafe.Add(ref saved, hidden + j) = z;
        Unsafe.Add(ref saved, 2 * hidden + j) = n;
        Unsafe.Add(ref saved, 3 * hidden + j) = hn;
        Unsafe.Add(ref h, j) = (T.One - z) * n + z * Unsafe.Add(ref hPrev, j);
    }

    public static void GruBackward<T>(ReadOnlySpan<T> saved, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> dh, Span<T> dxg, Span<T> dhg, Span<T> dhPrev,
        int batch, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckGruBackward(saved.Length, hPrev.Length, dh.Length, dxg.Length, dhg.Length, dhPrev.Length, batch, hidden);
        for (int b = 0; b < batch; b++)
        {
            int s = b * hidden;
            ref T sv = ref MemoryMarshal.GetReference(saved.Slice(b * 4 * hidden, 4 * hidden));
            ref T dx = ref MemoryMarshal.GetReference(dxg.Slice(b * 3 * hidden, 3 * hidden));
            ref T dhr = ref MemoryMarshal.GetReference(dhg.Slice(b * 3 * hidden, 3 * hidden));
            ref T hp = ref MemoryMarshal.GetReference(hPrev.Slice(s, hidden));
            ref T d = ref MemoryMarshal.GetReference(dh.Slice(s, hidden));
            ref T dhp = ref MemoryMarshal.GetReference(dhPrev.Slice(s, hidden));
            for (int j = 0; j < hidden; j++) GruBackwardUnit(ref sv, ref hp, ref d, ref dx, ref dhr, ref dhp, hidden, j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void GruBackwardUnit<T>(ref T saved, ref T hPrev, ref T dh, ref T dxg, ref T dhg, ref T dhPrev, int hidden, int j)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T r = Unsafe.Add(ref saved, j), z = Unsafe.Add(ref saved, hidden + j);
        T n = Unsafe.Add(ref saved, 2 * hidden + j), hn = Unsafe.Add(ref saved, 3 * hidden + j);
        T d = Unsafe.Add(ref dh, j);
        T dnPre = d * (T.One - z) * (T.One - n * n);
        T dzPre = d * (Unsafe.Add(ref hPrev, j) - n) * z * (T.One - z);
        T drPre = dnPre * hn * r * (T.One - r);
        Unsafe.Add(ref dxg, j) = drPre;
        Unsafe.Add(ref dxg, hidden + j) = dzPre;
        Unsafe.Add(ref dxg, 2 * hidden + j) = dnPre;
        Unsafe.Add(ref dhg, j) = drPre;
        Unsafe.Add(ref dhg, hidden + j) = dzPre;
        Unsafe.Add(ref dhg, 2 * hidden + j) = dnPre * r;
        Unsafe.Add(ref dhPrev, j) = d * z;
    }

    // ---- argument checks shared with SimdCellKernels ----

    internal static void CheckLstm(int gates, int cPrev, int c, int h, int batch, int hidden)
    {
        int state = CheckSizes(batch, hidden);
        Exact(gates, 4 * state, "gates", batch, 4 * hidden);
        Exact(cPrev, state, "cPrev", batch, hidden);
        SpanChecks.Destination(c, state, "c");
        SpanChecks.Destination(h, state, "h");
    }

    internal static void CheckLstmBackward(int gates, int cPrev, int c, int dh, int dcNext, int dGates, int dcPrev, int dcTotal, int batch, int hidden)
    {
        CheckLstm(gates, cPrev, c, dh, batch, hidden);
        int state = batch * hidden;
        Exact(dh, state, "dh", batch, hidden);
        Exact(dcNext, state, "dcNext", batch, hidden);
        SpanChecks.Destination(dGates, 4 * state, "dGates");
        SpanChecks.Destination(dcPrev, state, "dcPrev");
        if (dcTotal != 0) SpanChecks.Destination(dcTotal, state, "dcTotal");
    }

    internal static void CheckGru(int xg, int hg, int bhh, int hPrev, int saved, int h, int batch, int hidden)
    {
        int state = CheckSizes(batch, hidden);
        Exact(xg, 3 * state, "xg", batch, 3 * hidden);
        Exact(hg, 3 * state, "hg", batch, 3 * hidden);
        if (bhh != 0 && bhh != 3 * hidden) Exact(bhh, 3 * hidden, "bhh", -1, 3 * hidden);
        Exact(hPrev, state, "hPrev", batch, hidden);
        SpanChecks.Destination(saved, 4 * state, "saved");
        SpanChecks.Destination(h, state, "h");
    }

    internal static void CheckGruBackward(int saved, int hPrev, int dh, int dxg, int dhg, int dhPrev, int batch, int hidden)
    {
        int state = CheckSizes(batch, hidden);
        Exact(saved, 4 * state, "saved", batch, 4 * hidden);
        Exact(hPrev, state, "hPrev", batch, hidden);
        Exact(dh, state, "dh", batch, hidden);
        SpanChecks.Destination(dxg, 3 * state, "dxg");
        SpanChecks.Destination(dhg, 3 * state, "dhg");
        SpanChecks.Destination(dhPrev, state, "dhPrev");
    }

    /// <summary>Exactly rows×width elements; the message (built only on failure, so checks allocate nothing) names the shape.</summary>
    private static void Exact(int actual, int expected, string name, int rows, int width)
    {
        if (actual != expected)
            SpanChecks.Length(actual, expected, name, rows < 0 ? $"[{width}] or empty" : $"[{rows}, {width}]");
    }

    private static int CheckSizes(int batch, int hidden)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(hidden);
        return checked(batch * 4 * hidden) / 4;
    }

    /// <summary>A read-only run of zeros (a missing GRU bias reads as zero), grown as needed and shared.</summary>
    internal static ReadOnlySpan<T> Zeros<T>(int length) where T : unmanaged
    {
        var z = ZeroBuffer<T>.Buffer;
        if (z.Length < length) ZeroBuffer<T>.Buffer = z = new T[Math.Max(length, 2 * z.Length)];
        return z.AsSpan(0, length);
    }

    private static class ZeroBuffer<T> where T : unmanaged
    {
        [ThreadStatic] private static T[]? _buffer;
        public static T[] Buffer { get => _buffer ??= new T[64]; set => _buffer = value; }
    }

    // x, fallback: [B, width]; rows whose sequence ended by step t take the fallback row (or zeros).
    public static void MaskEndedRows<T>(ReadOnlySpan<int> lengths, int t, Span<T> x, ReadOnlySpan<T> fallback, int batch, int width)
        where T : unmanaged
    {
        for (int b = 0; b < batch; b++)
        {
            if (t < lengths[b]) continue;
            Span<T> row = x.Slice(b * width, width);
            if (fallback.IsEmpty) row.Clear();
            else fallback.Slice(b * width, width).CopyTo(row);
        }
    }

    // x, y: [T, B, F]; y[t, b] = x[len_b − 1 − t, b] inside the sequence, zero past its end.
    public static void ReverseSequences<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> lengths, Span<T> y, int steps, int batch, int features)
        where T : unmanaged
    {
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                Span<T> dst = y.Slice((t * batch + b) * features, features);
                int len = lengths[b];
                if (t < len) x.Slice(((len - 1 - t) * batch + b) * features, features).CopyTo(dst);
                else dst.Clear();
            }
        }
    }

    // x: [first, second, F] → y: [second, first, F].
    public static void SwapLeadingDims<T>(ReadOnlySpan<T> x, Span<T> y, int first, int second, int features) where T : unmanaged =>
        SwapLeadingDims(x, y, first, second, features, 0, first);

    /// <summary>The part of <see cref="SwapLeadingDims{T}(ReadOnlySpan{T}, Span{T}, int, int, int)"/> for first indices
    /// [<paramref name="from"/>, <paramref name="to"/>): disjoint ranges write disjoint elements of y, so threads may share it.</summary>
    public static void SwapLeadingDims<T>(ReadOnlySpan<T> x, Span<T> y, int first, int second, int features, int from, int to) where T : unmanaged
    {
        if (from < 0 || to > first || from > to) throw new ArgumentOutOfRangeException(nameof(from), $"[{from}, {to}) must lie in [0, {first}]");
        int rowBytes = features * Unsafe.SizeOf<T>();
        // Rows of whole 64-byte lines (a 128-unit layer's 512 bytes) move as vectors, and so do rows of at most 64 bytes (a
        // 16-unit layer's [B, T, 16], a one-feature input): a memmove call per row cost more than the row. Other rows: memmove.
        bool lines = rowBytes % 64 == 0;
        if (rowBytes > 64 && !lines)
        {
            for (int i = from; i < to; i++)
                for (int j = 0; j < second; j++)
                    x.Slice((i * second + j) * features, features).CopyTo(y.Slice((j * first + i) * features, features));
            return;
        }
        if (x.Length < first * second * features) throw new ArgumentException("x is shorter than [first, second, features]", nameof(x));
        if (y.Length < first * second * features) throw new ArgumentException("y is shorter than [first, second, features]", nameof(y));
        ref byte src = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(x));
        ref byte dst = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(y));
        for (int i = from; i < to; i++)
            for (int j = 0; j < second; j++)
            {
                ref byte rowIn = ref Unsafe.Add(ref src, (nint)(i * second + j) * rowBytes);
                ref byte rowOut = ref Unsafe.Add(ref dst, (nint)(j * first + i) * rowBytes);
                if (lines)
                    for (nint o = 0; o < rowBytes; o += 64)
                        Unsafe.WriteUnaligned(ref Unsafe.Add(ref rowOut, o), Unsafe.ReadUnaligned<Vector512<byte>>(ref Unsafe.Add(ref rowIn, o)));
                else if (rowBytes == 32) Unsafe.WriteUnaligned(ref rowOut, Unsafe.ReadUnaligned<Vector256<byte>>(ref rowIn));
                else for (int f = 0; f < features; f++) Unsafe.As<byte, T>(ref Unsafe.Add(ref rowOut, f * Unsafe.SizeOf<T>())) = Unsafe.As<byte, T>(ref Unsafe.Add(ref rowIn, f * Unsafe.SizeOf<T>()));
            }
    }

    // A [rows, width] block at column `column` of a [rows, wideWidth] matrix, copied in or out.
    public static void Columns<T>(ReadOnlySpan<T> src, Span<T> dst, int rows, int width, int wideWidth, int column, bool toColumns, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> from = toColumns ? src.Slice(r * width, width) : src.Slice(r * wideWidth + column, width);
            Span<T> to = toColumns ? dst.Slice(r * wideWidth + column, width) : dst.Slice(r * width, width);
            if (!accumulate) from.CopyTo(to);
            else for (int j = 0; j < width; j++) to[j] += from[j];
        }
    }

    private static T Sigmoid<T>(T x) where T : IBinaryFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));
}
