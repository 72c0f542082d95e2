// Tensor: shapes, views along the leading dimension, host copies, printing, and its argument errors.
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tests.Tensors;

public class TensorTests
{
    [Fact]
    public void ZerosHasShapeLengthAndZeroes()
    {
        using var t = Tensor.Zeros(2, 3, 4);
        Assert.Equal([2, 3, 4], t.Shape.ToArray());
        Assert.Equal(24, t.Length);
        Assert.Equal(DType.Float32, t.DType);
        Assert.All(t.ToArray<float>(), v => Assert.Equal(0f, v));
    }

    /// <summary>Small blocks (from malloc's heap) and large ones (mmap): aligned, and zero even where a freed tensor's
    /// garbage lay just before.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(1 << 20)]
    public void StorageIsAlignedForVector512AndZeroed(int length)
    {
        for (int round = 0; round < 3; round++)
        {
            using var t = Tensor.Zeros([length], DType.Float64);
            unsafe
            {
                Assert.Equal(0, (long)((CpuStorage)t.Storage).Pointer % 64);
            }
            Assert.All(t.ToArray<double>(), v => Assert.Equal(0.0, v));
            Device.Cpu.Fill(t, double.NaN); // garbage for the next round's allocation to find
        }
    }

    [Fact]
    public void TimeStepViewSharesStorage()
    {
        // [T=3, B=2, H=2]
        using var seq = Tensor.From(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 3, 2, 2);
        Tensor step1 = seq[1];
        Assert.Equal([2, 2], step1.Shape.ToArray());
        Assert.Equal([4f, 5f, 6f, 7f], step1.ToArray<float>());
        step1.AsSpan<float>()[0] = 100;
        Assert.Equal(100f, seq.ToArray<float>()[4]);
        Assert.False(step1.OwnsStorage);
    }

    [Fact]
    public void NarrowAndReshapeAreViews()
    {
        using var seq = Tensor.From(Enumerable.Range(0, 12).Select(i => (double)i).ToArray(), 4, 3);
        Tensor middle = seq.Narrow(1, 2);
        Assert.Equal([3.0, 4, 5, 6, 7, 8], middle.ToArray<double>());
        Tensor flat = middle.Reshape(-1);
        Assert.Equal([6], flat.Shape.ToArray());
        flat.AsSpan<double>()[5] = -1;
        Assert.Equal(-1.0, seq.ToArray<double>()[8]);
        Assert.Equal([3, 2], middle.Reshape(3, -1).Shape.ToArray());
    }

    [Fact]
    public void BadShapesAndIndicesNameTheArgument()
    {
        using var t = Tensor.Zeros(4, 3);
        Assert.Equal("shape", Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, -1)).ParamName);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => t[4]).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => t.Narrow(3, 2)).ParamName);
        var reshape = Assert.Throws<ArgumentException>(() => t.Reshape(5, -1));
        Assert.Contains("[4, 3]", reshape.Message);
        var data = Assert.Throws<ArgumentException>(() => Tensor.From(new float[5], 2, 3));
        Assert.Equal("data", data.ParamName);
        Assert.Contains("[2, 3]", data.Message);
        Assert.Throws<InvalidOperationException>(() => t.AsSpan<double>());
    }

    [Fact]
    public void RankZeroAndEmptyTensorsWork()
    {
        using var s = Tensor.Scalar(2.5, DType.Float64);
        Assert.Equal(0, s.Rank);
        Assert.Equal(1, s.Length);
        Assert.Equal(2.5, s.Item());
        using var empty = Tensor.Zeros(0, 5);
        Assert.Equal(0, empty.Length);
        Assert.Empty(empty.ToArray<float>());
        Assert.Contains("shape=[0, 5]", empty.ToString());
    }

    [Fact]
    public void ToStringIsReadableForSmallAndSummarisedForLarge()
    {
        using var small = Tensor.From([1f, -2f, 3.5f, float.NaN], 2, 2);
        Assert.Equal("tensor([[1.0000, -2.0000],\n        [3.5000, nan]], shape=[2, 2], dtype=float32)", small.ToString());
        using var big = Tensor.Zeros(100, 100);
        string text = big.ToString();
        Assert.Contains("...", text);
        Assert.True(text.Length < 2000, $"summary too long: {text.Length} characters");
    }

    [Fact]
    public void DisposedStorageIsRejectedNotRead()
    {
        var t = Tensor.Zeros(3);
        Tensor view = t.Narrow(0, 2);
        t.Dispose();
        Assert.Throws<ObjectDisposedException>(() => view.ToArray<float>());
        Assert.Contains("disposed", t.ToString());
    }

    [Fact]
    public void CloneAndToCopyTheData()
    {
        using var t = Tensor.From([1, 2, 3], 3);
        using var copy = t.Clone();
        copy.AsSpan<int>()[0] = 9;
        Assert.Equal([1, 2, 3], t.ToArray<int>());
        Assert.Equal([9, 2, 3], copy.ToArray<int>());
    }
}
