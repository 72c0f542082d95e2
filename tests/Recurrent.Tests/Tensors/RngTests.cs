// The seeded generator: fixed streams, distributions, forks and saved state.
using Recurrent.Tensors;

namespace Recurrent.Tests.Tensors;

public class RngTests
{
    [Fact]
    public void StreamForSeedIsFixed()
    {
        // First outputs of xoshiro256** seeded by SplitMix64(42): pinned so a change to the stream is noticed.
        var rng = new Rng(42);
        ulong[] first = [rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64()];
        var again = new Rng(42);
        Assert.Equal(first, new[] { again.NextUInt64(), again.NextUInt64(), again.NextUInt64() });
        Assert.NotEqual(first[0], new Rng(43).NextUInt64());
        Assert.Equal(RngGolden.Seed42, first);
    }

    [Fact]
    public void UniformMeanAndRange()
    {
        var rng = new Rng(1);
        double sum = 0;
        const int n = 200_000;
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble();
            Assert.InRange(u, 0.0, 0.9999999999999999);
            sum += u;
        }
        Assert.InRange(sum / n, 0.5 - 0.003, 0.5 + 0.003); // 4.6 standard errors
    }

    [Fact]
    public void NormalMomentsAndBernoulliRate()
    {
        var rng = new Rng(7);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        int ones = 0;
        for (int i = 0; i < n; i++)
        {
            double z = rng.Normal();
            sum += z;
            sumSq += z * z;
            if (rng.Bernoulli(0.3)) ones++;
        }
        Assert.InRange(sum / n, -0.011, 0.011);          // σ/√n = 0.0022, ~5 standard errors
        Assert.InRange(sumSq / n, 1 - 0.016, 1 + 0.016); // √(2/n) = 0.0032
        Assert.InRange(ones / (double)n, 0.3 - 0.005, 0.3 + 0.005);
    }

    [Fact]
    public void NextIntIsUnbiasedAndInRange()
    {
        var rng = new Rng(3);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[rng.NextInt(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 10_000 - 500, 10_000 + 500));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
    }

    [Fact]
    public void PortableLogMatchesMathLog()
    {
        var rng = new Rng(11);
        for (int i = 0; i < 10_000; i++)
        {
            double x = rng.NextDouble() + 1e-300;
            double expected = Math.Log(x);
            Assert.True(Math.Abs(Rng.PortableLog(x) - expected) <= 4e-16 * Math.Max(1, Math.Abs(expected)), $"log({x})");
        }
        Assert.Equal(Math.Log(double.Epsilon), Rng.PortableLog(double.Epsilon), 12);
        Assert.Equal(0.0, Rng.PortableLog(1.0));
    }

    [Fact]
    public void StateRoundTripContinuesTheStreamExactly()
    {
        var rng = new Rng(5);
        rng.Normal(); // leaves a spare normal behind, which the state must carry
        var copy = Rng.FromState(rng.GetState());
        for (int i = 0; i < 100; i++) Assert.Equal(rng.Normal(), copy.Normal());
        Assert.Throws<ArgumentException>(() => Rng.FromState(new ulong[3]));
        Assert.Throws<ArgumentException>(() => Rng.FromState(new ulong[7]));
    }

    [Fact]
    public void ForksAreIndependentAndReproducible()
    {
        var parent = new Rng(9);
        Assert.Equal(parent.Fork(1).NextUInt64(), new Rng(9).Fork(1).NextUInt64());
        Assert.NotEqual(parent.Fork(1).NextUInt64(), parent.Fork(2).NextUInt64());
    }

    [Fact]
    public void FillsTensorsInRowMajorOrder()
    {
        using var t = Tensor.Zeros(4, 5);
        new Rng(2).FillUniform(t, -1, 1);
        var rng = new Rng(2);
        float[] expected = Enumerable.Range(0, 20).Select(_ => (float)rng.Uniform(-1, 1)).ToArray();
        Assert.Equal(expected, t.ToArray<float>());
        Assert.Throws<ArgumentException>(() => new Rng(1).FillNormal(Tensor.Zeros([2], DType.Int32)));
    }
}
