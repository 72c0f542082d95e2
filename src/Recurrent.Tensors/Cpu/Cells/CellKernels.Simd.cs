// SIMD versions of the fused LSTM and GRU step kernels (Vector512 and Vector256 bodies, the scalar loop for tails).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

/// <summary>
/// The same math as <see cref="CellKernels"/>, one vector of hidden units at a time. Each batch row is a separate
/// span of gates, so the vector loop runs over j in [0, H) and the last H mod lanes units take the scalar path.
/// A CPU without Vector256 (or a level capped at Vector128/Scalar) runs the scalar kernels.
/// </summary>
public static class SimdCellKernels
{
    /// <summary>
    /// The level the float cell kernels (training's) actually run for a requested one; <see cref="Effective{T}"/> for
    /// either element type.
    /// </summary>
    public static SimdLevel Effective(SimdLevel requested) => Effective<float>(requested);

    /// <summary>
    /// The level the cell kernels run for <typeparamref name="T"/>. With AVX-512, float cells use
    /// <see cref="GateMath"/>'s division-free sigmoid and tanh, which run faster in the Vector512 body (measured
    /// 01:10 UTC on a loaded machine, B = 64, H = 128: 25 against 36 µs per call), so a Vector512 request stays.
    /// The accurate functions (double, or float without AVX-512) are exp and division, which on CPUs that execute
    /// 512-bit operations as two 256-bit halves (AMD Zen 4, this project's machines) ran 1.6× faster in the Vector256
    /// body; there Vector512 requests run the Vector256 body, unless the environment variable RECURRENT_CELL_SIMD=512
    /// asks for the wide one (for CPUs with full-width 512-bit units); RECURRENT_CELL_SIMD=256 caps every cell at Vector256. Both bodies compute every lane with the same
    /// operations, so this changes speed only, never a bit of the result (CellKernelTests checks it). A timing
    /// calibration at start-up was tried and dropped: a cold process's tier-0 code made its choice flip from run to run.
    /// </summary>
    public static SimdLevel Effective<T>(SimdLevel requested)
    {
        requested = SimdCaps.Clamp(requested);
        if (requested == SimdLevel.Vector512 && Requested == "256") return SimdLevel.Vector256;
        if (typeof(T) == typeof(float) && GateMath.IsFast) return requested;
        return requested == SimdLevel.Vector512 && Requested != "512" ? SimdLevel.Vector256 : requested;
    }

    private static readonly string? Requested = Environment.GetEnvironmentVariable("RECURRENT_CELL_SIMD");

    /// <summary>
    /// h = tanh(pre) for an Elman RNN step, [batch, hidden], with the cells' tanh (<see cref="GateMath"/>: for float with
    /// AVX-512 the division-free one, ≤ 6 ulp) one row at a time, so a row's bits do not depend on which rows are
    /// computed with it (the CPU device splits a step's rows over threads). h may be pre.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RnnTanh<T>(ReadOnlySpan<T> pre, Span<T> h, int batch, int hidden, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (batch < 0 || hidden < 0) throw new ArgumentOutOfRangeException(nameof(batch), $"batch {batch} and hidden {hidden} must be non-negative");
        if (pre.Length < batch * hidden) throw new ArgumentException($"pre holds {pre.Length} elements; [batch, hidden] = [{batch}, {hidden}] needs {batch * hidden}", nameof(pre));
        if (h.Length < batch * hidden) throw new ArgumentException($"h holds {h.Length} elements; [batch, hidden] = [{batch}, {hidden}] needs {batch * hidden}", nameof(h));
        level = SimdCaps.Clamp(level);
        // When every row is whole vectors (H a multiple of 8: Vector512 and Vector256 lanes compute the same bits), no element
        // takes the scalar tail, so the block runs as one row: a 16-unit layer's rows are one vector each, and a loop per row
        // cost a third of the time.
        if (level >= SimdLevel.Vector256 && hidden % Vector256<T>.Count == 0)
        {
            hidden *= batch;
            batch = 1;
        }
        for (int b = 0; b < batch; b++)
        {
            ref T x = ref MemoryMarshal.GetReference(pre.Slice(b * hidden, hidden));
            ref T y = ref MemoryMarshal.GetReference(h.Slice(b * hidden, hidden));
            int j = 0;
            if (level == SimdLevel.Vector512)
                for (; j <= hidden - Vector512<T>.Count; j += Vector512<T>.Count)
                    GateMath.Tanh(Vector512.LoadUnsafe(ref x, (nuint)j)).StoreUnsafe(ref y, (nuint)j);
            if (level >= SimdLevel.Vector256)
                for (; j <= hidden - Vector256<T>.Count; j += Vector256<T>.Count)
                    GateMath.Tanh(Vector256.LoadUnsafe(ref x, (nuint)j)).StoreUnsafe(ref y, (nuint)j);
            for (; j < hidden; j++) Unsafe.Add(ref y, j) = T.Tanh(Unsafe.Add(ref x, j));
        }
    }

    // Fully optimized from the first call (no tier-0, no profile-guided rebuild), like the GEMM kernels: with dynamic
    // PGO the Vector512 loop of LstmForward ran 3× slower in some processes than in others (same source, same data).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LstmForward<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> h, int batch, int hidden, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CellKernels.CheckLstm(gates.Length, cPrev.Length, c.Length, h.Length, batch, hidden);
        level = SimdCaps.Clamp(level);
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++)
        {
            ref T g = ref MemoryMarshal.GetReference(gates.Slice(b * g4, g4));
            ref T cp = ref MemoryMarshal.GetReference(cPrev.Slice(b * hidden, hidden));
            ref T cn = ref MemoryMarshal.GetReference(c.Slice(b * hidden, hidden));
            ref T hn = ref MemoryMarshal.GetReference(h.Slice(b * hidden, hidden));
            int j = 0;
            if (level == SimdLevel.Vector512)
            {
                for (; j <= hidden - Vector512<T>.Count; j += Vector512<T>.Count)
                {
                    nuint o = (nuint)j;
                    var i = GateMath.Sigmoid(Vector512.LoadUnsafe(ref g, o));
                    var f = GateMath.Sigmoid(Vector512.LoadUnsafe(ref g, o + (nuint)hidden));
                    var gg = GateMath.Tanh(Vector512.LoadUnsafe(ref g, o + (nuint)(2 * hidden)));
                    var og = GateMath.Sigmoid(Vector512.LoadUnsafe(ref g, o + (nuint)(3 * hidden)));
                    i.StoreUnsafe(ref g, o);
                    f.StoreUnsafe(ref g, o + (nuint)hidden);
                    gg.StoreUnsafe(ref g, o + (nuint)(2 * hidden));
                    og.StoreUnsafe(ref g, o + (nuint)(3 * hidden));
                    var cNew = f * Vector512.LoadUnsafe(ref cp, o) + i * gg;
                    cNew.StoreUnsafe(ref cn, o);
                    (og * GateMath.Tanh(cNew)).StoreUnsafe(ref hn, o);
                }
            }
            if (level >= SimdLevel.Vector256)
            {
                for (; j <= hidden - Vector256<T>.Count; j += Vector256<T>.Count)
                {
                    nuint o = (nuint)j;
                    var i = GateMath.Sigmoid(Vector256.LoadUnsafe(ref g, o));
                    var f = GateMath.Sigmoid(Vector256.LoadUnsafe(ref g, o + (nuint)hidden));
                    var gg = GateMath.Tanh(Vector256.LoadUnsafe(ref g, o + (nuint)(2 * hidden)));
                    var og = GateMath.Sigmoid(Vector256.LoadUnsafe(ref g, o + (nuint)(3 * hidden)));
                    i.StoreUnsafe(ref g, o);
                    f.StoreUnsafe(ref g, o + (nuint)hidden);
                    gg.StoreUnsafe(ref g, o + (nuint)(2 * hidden));
                    og.StoreUnsafe(ref g, o + (nuint)(3 * hidden));
                    var cNew = f * Vector256.LoadUnsafe(ref cp, o) + i * gg;
                    cNew.StoreUnsafe(ref cn, o);
                    (og * GateMath.Tanh(cNew)).StoreUnsafe(ref hn, o);
                }
            }
            for (; j < hidden; j++)
                CellKernels.LstmForwardUnit(ref g, ref cp, ref cn, ref hn, hidden, j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LstmBackward<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> c, ReadOnlySpan<T> dh, ReadOnlySpan<T> dcNext,
        Span<T> dGates, Span<T> dcPrev, Span<T> dcTotal, int batch, int hidden, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CellKernels.CheckLstmBackward(gates.Length, cPrev.Length, c.Length, dh.Length, dcNext.Length, dGates.Length, dcPrev.Length, dcTotal.Length, batch, hidden);
        bool total = !dcTotal.IsEmpty;
        level = SimdCaps.Clamp(level);
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++)
        {
            ref T g = ref MemoryMarshal.GetReference(gates.Slice(b * g4, g4));
            ref T dg = ref MemoryMarshal.GetReference(dGates.Slice(b * g4, g4));
            int s = b * hidden;
            ref T cp = ref MemoryMarshal.GetReference(cPrev.Slice(s, hidden));
            ref T cn = ref MemoryMarshal.GetReference(c.Slice(s, hidden));
            ref T dhr = ref MemoryMarshal.GetReference(dh.Slice(s, hidden));
            ref T dcn = ref MemoryMarshal.GetReference(dcNext.Slice(s, hidden));
            ref T dcp = ref MemoryMarshal.GetReference(dcPrev.Slice(s, hidden));
            ref T dct = ref total ? ref MemoryMarshal.GetReference(dcTotal.Slice(s, hidden)) : ref dcp;
            int j = 0;
            if (level == SimdLevel.Vector512)
            {
                var one = Vector512<T>.One;
                for (; j <= hidden - Vector512<T>.Count; j += Vector512<T>.Count)
                {
                    nuint o = (nuint)j, h1 = (nuint)hidden, h2 = (nuint)(2 * hidden), h3 = (nuint)(3 * hidden);
                    var i = Vector512.LoadUnsafe(ref g, o);
                    var f = Vector512.LoadUnsafe(ref g, o + h1);
                    var gg = Vector512.LoadUnsafe(ref g, o + h2);
                    var og = Vector512.LoadUnsafe(ref g, o + h3);
                    var tc = GateMath.Tanh(Vector512.LoadUnsafe(ref cn, o));
                    var d = Vector512.LoadUnsafe(ref dhr, o);
                    var dc = Vector512.LoadUnsafe(ref dcn, o) + d * og * (one - tc * tc);
                    (dc * gg * i * (one - i)).StoreUnsafe(ref dg, o);
                    (dc * Vector512.LoadUnsafe(ref cp, o) * f * (one - f)).StoreUnsafe(ref dg, o + h1);
                    (dc * i * (one - gg * gg)).StoreUnsafe(ref dg, o + h2);
                    (d * tc * og * (one - og)).StoreUnsafe(ref dg, o + h3);
                    (dc * f).StoreUnsafe(ref dcp, o);
                    if (total) dc.StoreUnsafe(ref dct, o);
                }
            }
            if (level >= SimdLevel.Vector256)
            {
                var one = Vector256<T>.One;
                for (; j <= hidden - Vector256<T>.Count; j += Vector256<T>.Count)
                {
                    nuint o = (nuint)j, h1 = (nuint)hidden, h2 = (nuint)(2 * hidden), h3 = (nuint)(3 * hidden);
                    var i = Vector256.LoadUnsafe(ref g, o);
                    var f = Vector256.LoadUnsafe(ref g, o + h1);
                    var gg = Vector256.LoadUnsafe(ref g, o + h2);
                    var og = Vector256.LoadUnsafe(ref g, o + h3);
                    var tc = GateMath.Tanh(Vector256.LoadUnsafe(ref cn, o));
                    var d = Vector256.LoadUnsafe(ref dhr, o);
                    var dc = Vector256.LoadUnsafe(ref dcn, o) + d * og * (one - tc * tc);
                    (dc * gg * i * (one - i)).StoreUnsafe(ref dg, o);
                    (dc * Vector256.LoadUnsafe(ref cp, o) * f * (one - f)).StoreUnsafe(ref dg, o + h1);
                    (dc * i * (one - gg * gg)).StoreUnsafe(ref dg, o + h2);
                    (d * tc * og * (one - og)).StoreUnsafe(ref dg, o + h3);
                    (dc * f).StoreUnsafe(ref dcp, o);
                    if (total) dc.StoreUnsafe(ref dct, o);
                }
            }
            for (; j < hidden; j++)
                CellKernels.LstmBackwardUnit(ref g, ref cp, ref cn, ref dhr, ref dcn, ref dg, ref dcp, ref dct, total, hidden, j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GruForward<T>(ReadOnlySpan<T> xg, ReadOnlySpan<T> hg, ReadOnlySpan<T> bhh, ReadOnlySpan<T> hPrev, Span<T> saved, Span<T> h,
        int batch, int hidden, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CellKernels.CheckGru(xg.Length, hg.Length, bhh.Length, hPrev.Length, saved.Length, h.Length, batch, hidden);
        level = SimdCaps.Clamp(level);
        int g3 = 3 * hidden, g4 = 4 * hidden;
        // Without a bias, read zeros: a stack buffer of one vector would not cover H, so use a shared zero span.
        ReadOnlySpan<T> bias = bhh.IsEmpty ? CellKernels.Zeros<T>(g3) : bhh;
        ref T br = ref MemoryMarshal.GetReference(bias);
        for (int b = 0; b < batch; b++)
        {
            ref T x = ref MemoryMarshal.GetReference(xg.Slice(b * g3, g3));
            ref T hr = ref MemoryMarshal.GetReference(hg.Slice(b * g3, g3));
            ref T sv = ref MemoryMarshal.GetReference(saved.Slice(b * g4, g4));
            ref T hp = ref MemoryMarshal.GetReference(hPrev.Slice(b * hidden, hidden));
            ref T hn = ref MemoryMarshal.GetReference(h.Slice(b * hidden, hidden));
            int j = 0;
            nuint h1 = (nuint)hidden, h2 = (nuint)(2 * hidden), h3 = (nuint)(3 * hidden);
            if (level == SimdLevel.Vector512)
            {
                for (; j <= hidden - Vector512<T>.Count; j += Vector512<T>.Count)
                {
                    nuint o = (nuint)j;
                    var r = GateMath.Sigmoid(Vector512.LoadUnsafe(ref x, o) + Vector512.LoadUnsafe(ref hr, o) + Vector512.LoadUnsafe(ref br, o));
                    var z = GateMath.Sigmoid(Vector512.LoadUnsafe(ref x, o + h1) + Vector512.LoadUnsafe(ref hr, o + h1) + Vector512.LoadUnsafe(ref br, o + h1));
                    var hnb = Vector512.LoadUnsafe(ref hr, o + h2) + Vector512.LoadUnsafe(ref br, o + h2);
                    var n = GateMath.Tanh(Vector512.LoadUnsafe(ref x, o + h2) + r * hnb);
                    r.StoreUnsafe(ref sv, o);
                    z.StoreUnsafe(ref sv, o + h1);
                    n.StoreUnsafe(ref sv, o + h2);
                    hnb.StoreUnsafe(ref sv, o + h3);
                    ((Vector512<T>.One - z) * n + z * Vector512.LoadUnsafe(ref hp, o)).StoreUnsafe(ref hn, o);
                }
            }
            if (level >= SimdLevel.Vector256)
            {
                for (; j <= hidden - Vector256<T>.Count; j += Vector256<T>.Count)
                {
                    nuint o = (nuint)j;
                    var r = GateMath.Sigmoid(Vector256.LoadUnsafe(ref x, o) + Vector256.LoadUnsafe(ref hr, o) + Vector256.LoadUnsafe(ref br, o));
                    var z = GateMath.Sigmoid(Vector256.LoadUnsafe(ref x, o + h1) + Vector256.LoadUnsafe(ref hr, o + h1) + Vector256.LoadUnsafe(ref br, o + h1));
                    var hnb = Vector256.LoadUnsafe(ref hr, o + h2) + Vector256.LoadUnsafe(ref br, o + h2);
                    var n = GateMath.Tanh(Vector256.LoadUnsafe(ref x, o + h2) + r * hnb);
                    r.StoreUnsafe(ref sv, o);
                    z.StoreUnsafe(ref sv, o + h1);
                    n.StoreUnsafe(ref sv, o + h2);
                    hnb.StoreUnsafe(ref sv, o + h3);
                    ((Vector256<T>.One - z) * n + z * Vector256.LoadUnsafe(ref hp, o)).StoreUnsafe(ref hn, o);
                }
            }
            for (; j < hidden; j++)
                CellKernels.GruForwardUnit(ref x, ref hr, ref br, ref hp, ref sv, ref hn, hidden, j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GruBackward<T>(ReadOnlySpan<T> saved, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> dh, Span<T> dxg, Span<T> dhg, Span<T> dhPrev,
        int batch, int hidden, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CellKernels.CheckGruBackward(saved.Length, hPrev.Length, dh.Length, dxg.Length, dhg.Length, dhPrev.Length, batch, hidden);
        level = SimdCaps.Clamp(level);
        int g3 = 3 * hidden, g4 = 4 * hidden;
        for (int b = 0; b < batch; b++)
        {
            ref T sv = ref MemoryMarshal.GetReference(saved.Slice(b * g4, g4));
            ref T dx = ref MemoryMarshal.GetReference(dxg.Slice(b * g3, g3));
            ref T dhr = ref MemoryMarshal.GetReference(dhg.Slice(b * g3, g3));
            int s = b * hidden;
            ref T hp = ref MemoryMarshal.GetReference(hPrev.Slice(s, hidden));
            ref T d = ref MemoryMarshal.GetReference(dh.Slice(s, hidden));
            ref T dhp = ref MemoryMarshal.GetReference(dhPrev.Slice(s, hidden));
            int j = 0;
            nuint h1 = (nuint)hidden, h2 = (nuint)(2 * hidden), h3 = (nuint)(3 * hidden);
            if (level == SimdLevel.Vector512)
            {
                var one = Vector512<T>.One;
                for (; j <= hidden - Vector512<T>.Count; j += Vector512<T>.Count)
                {
                    nuint o = (nuint)j;
                    var r = Vector512.LoadUnsafe(ref sv, o);
                    var z = Vector512.LoadUnsafe(ref sv, o + h1);
                    var n = Vector512.LoadUnsafe(ref sv, o + h2);
                    var hn = Vector512.LoadUnsafe(ref sv, o + h3);
                    var dv = Vector512.LoadUnsafe(ref d, o);
                    var dnPre = dv * (one - z) * (one - n * n);
                    var dzPre = dv * (Vector512.LoadUnsafe(ref hp, o) - n) * z * (one - z);
                    var drPre = dnPre * hn * r * (one - r);
                    drPre.StoreUnsafe(ref dx, o);
                    dzPre.StoreUnsafe(ref dx, o + h1);
                    dnPre.StoreUnsafe(ref dx, o + h2);
                    drPre.StoreUnsafe(ref dhr, o);
                    dzPre.StoreUnsafe(ref dhr, o + h1);
                    (dnPre * r).StoreUnsafe(ref dhr, o + h2);
                    (dv * z).StoreUnsafe(ref dhp, o);
                }
            }
            if (level >= SimdLevel.Vector256)
            {
                var one = Vector256<T>.One;
                for (; j <= hidden - Vector256<T>.Count; j += Vector256<T>.Count)
                {
                    nuint o = (nuint)j;
                    var r = Vector256.LoadUnsafe(ref sv, o);
                    var z = Vector256.LoadUnsafe(ref sv, o + h1);
                    var n = Vector256.LoadUnsafe(ref sv, o + h2);
                    var hn = Vector256.LoadUnsafe(ref sv, o + h3);
                    var dv = Vector256.LoadUnsafe(ref d, o);
                    var dnPre = dv * (one - z) * (one - n * n);
                    var dzPre = dv * (Vector256.LoadUnsafe(ref hp, o) - n) * z * (one - z);
                    var drPre = dnPre * hn * r * (one - r);
                    drPre.StoreUnsafe(ref dx, o);
                    dzPre.StoreUnsafe(ref dx, o + h1);
                    dnPre.StoreUnsafe(ref dx, o + h2);
                    drPre.StoreUnsafe(ref dhr, o);
                    dzPre.StoreUnsafe(ref dhr, o + h1);
                    (dnPre * r).StoreUnsafe(ref dhr, o + h2);
                    (dv * z).StoreUnsafe(ref dhp, o);
                }
            }
            for (; j < hidden; j++)
                CellKernels.GruBackwardUnit(ref sv, ref hp, ref d, ref dx, ref dhr, ref dhp, hidden, j);
        }
    }
}
