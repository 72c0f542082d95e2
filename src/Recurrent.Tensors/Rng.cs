// The seeded random generator: xoshiro256** with SplitMix64 seeding, the same stream on every machine.
using System.Numerics;

namespace Recurrent.Tensors;

/// <summary>
/// Deterministic random numbers. Only integer arithmetic and correctly rounded IEEE operations
/// (+ − × ÷ √) are used, plus <see cref="PortableLog"/> for normals, so the stream for a seed is
/// bit-identical on every machine, runtime and thread count. Not thread-safe: give each thread its
/// own generator (<see cref="Fork"/>).
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    public Rng(ulong seed)
    {
        Seed = seed;
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The seed this generator started from (Fork derives children from it).</summary>
    public ulong Seed { get; }

    /// <summary>An independent generator for sub-stream <paramref name="stream"/> (a run, a worker); depends only on Seed and stream.</summary>
    public Rng Fork(ulong stream)
    {
        ulong x = Seed ^ 0x9E3779B97F4A7C15UL * (stream + 1);
        return new Rng(SplitMix64(ref x));
    }

    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    public uint NextUInt32() => (uint)(NextUInt64() >> 32);

    /// <summary>Uniform integer in [0, n), unbiased (Lemire's method).</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ulong m = (ulong)NextUInt32() * (ulong)n;
        uint low = (uint)m;
        if (low < (uint)n)
        {
            uint threshold = (uint)(-n) % (uint)n;
            while (low < threshold)
            {
                m = (ulong)NextUInt32() * (ulong)n;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Standard normal by Marsaglia's polar method (one spare kept for the next call).</summary>
    public double Normal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double scale = Math.Sqrt(-2.0 * PortableLog(s) / s);
        _spareNormal = v * scale;
        _hasSpare = true;
        return u * scale;
    }

    public double Normal(double mean, double std) => mean + std * Normal();

    public bool Bernoulli(double p) => NextDouble() < p;

    // ---- tensors ---------------------------------------------------------------------------------
    // Values are drawn on the host in row-major order and copied to the tensor's device, so a
    // tensor filled with the same seed holds the same numbers on every device.

    public void FillUniform(Tensor t, double low, double high) => FillWith(t, r => r.Uniform(low, high));
    public void FillNormal(Tensor t, double mean = 0, double std = 1) => FillWith(t, r => r.Normal(mean, std));
    public void FillBernoulli(Tensor t, double p) => FillWith(t, r => r.Bernoulli(p) ? 1.0 : 0.0);

    private void FillWith(Tensor t, Func<Rng, double> draw)
    {
        if (t.DType == DType.Float32)
        {
            var values = new float[t.Length];
            for (int i = 0; i < values.Length; i++) values[i] = (float)draw(this);
            t.CopyFrom<float>(values);
        }
        else if (t.DType == DType.Float64)
        {
            var values = new double[t.Length];
            for (int i = 0; i < values.Length; i++) values[i] = draw(this);
            t.CopyFrom<double>(values);
        }
        else throw new ArgumentException($"random fill needs a float32 or float64 tensor; got {t.DType.Name()}", nameof(t));
    }

    // ---- state, for checkpoints ------------------------------------------------------------------

    /// <summary>The full state: 4 words of xoshiro, the spare normal's bits, and whether it is held.</summary>
    public ulong[] GetState() =>
        [_s0, _s1, _s2, _s3, BitConverter.DoubleToUInt64Bits(_spareNormal), _hasSpare ? 1UL : 0UL, Seed];

    public static Rng FromState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 7)
            throw new ArgumentException($"an Rng state has 7 words; got {state.Length}", nameof(state));
        if ((state[0] | state[1] | state[2] | state[3]) == 0)
            throw new ArgumentException("an Rng state of all zeros is invalid (xoshiro would emit only zeros)", nameof(state));
        if (state[5] > 1)
            throw new ArgumentException($"word 5 of an Rng state is a flag (0 or 1); got {state[5]}", nameof(state));
        var rng = new Rng(state[6]);
        rng._s0 = state[0];
        rng._s1 = state[1];
        rng._s2 = state[2];
        rng._s3 = state[3];
        rng._spareNormal = BitConverter.UInt64BitsToDouble(state[4]);
        rng._hasSpare = state[5] == 1;
        return rng;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// ln(x) for x in (0, 1] from IEEE-exact operations only (Math.Log may differ in the last bit between
    /// C runtimes): x = m·2^e with m in [√½, √2), ln m = 2·atanh((m−1)/(m+1)) by its series.
    /// </summary>
    internal static double PortableLog(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int e = (int)((bits >> 52) & 0x7FF) - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (e == -1023)
        {
            // Subnormal: scale into the normal range first.
            return PortableLog(x * 4503599627370496.0) - 52 * Ln2;
        }
        if (m > Sqrt2)
        {
            m *= 0.5;
            e++;
        }
        double s = (m - 1) / (m + 1), s2 = s * s;
        // |s| ≤ 0.1716, so s2 ≤ 0.0295 and 12 terms reach below 1e-17 relative.
        double term = s, sum = 0;
        for (int k = 1; k <= 25; k += 2)
        {
            sum += term / k;
            term *= s2;
        }
        return 2 * sum + e * Ln2;
    }

    private const double Ln2 = 0.6931471805599453094;
    private const double Sqrt2 = 1.4142135623730950488;
}
