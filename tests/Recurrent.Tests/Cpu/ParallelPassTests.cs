// The CPU device's memory-bound passes split over threads (copy, batch-first swap, MSE and its gradient, column sums): the one-thread bits.
using Recurrent.Nn;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tests.Cpu;

public class ParallelPassTests
{
    /// <summary>Sizes at and above the split threshold (2^18 elements), odd last dimensions and a first dimension of 3, so
    /// the parts are uneven; float and double. Every output equals the one-thread device's exactly.</summary>
    [Theory]
    [InlineData(64, 100, 41)]
    [InlineData(3, 100_000, 1)]
    [InlineData(17, 1543, 11)]
    [InlineData(512, 512, 1)]
    public void TwoThreadsGiveTheOneThreadBits(int first, int second, int features)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var (one, two) = (new CpuDevice(1), new CpuDevice(2));
            // The same numbers on each device, so each device's own kernels run (a loss runs on its input's device).
            Tensor Random(Device device, ulong seed, params int[] shape)
            {
                var t = Tensor.Zeros(shape, dtype, device);
                new Rng(seed).FillUniform(t, -2, 2);
                return t;
            }
            int[] shape = [first, second, features], swapped = [second, first, features];
            Tensor xOne = Random(one, 1, shape), xTwo = Random(two, 1, shape), tOne = Random(one, 2, shape), tTwo = Random(two, 2, shape);
            string at = $"{dtype} [{first},{second},{features}]";

            var (copyOne, copyTwo) = (Tensor.Zeros(shape, dtype, one), Tensor.Zeros(shape, dtype, two));
            one.Copy(xOne, copyOne);
            two.Copy(xTwo, copyTwo);
            Same(copyOne, copyTwo, $"copy {at}");
            Same(xOne, copyOne, $"copy against its source {at}");

            var (swapOne, swapTwo) = (Tensor.Zeros(swapped, dtype, one), Tensor.Zeros(swapped, dtype, two));
            one.SwapLeadingDims(xOne, swapOne);
            two.SwapLeadingDims(xTwo, swapTwo);
            Same(swapOne, swapTwo, $"swap {at}");

            // The bias gradient's column sums, [first·second, features] and (wide columns, split into column blocks) [first, second·features].
            foreach (var (rows, cols) in new[] { (first * second, features), (first, second * features) })
                foreach (bool accumulate in new[] { false, true })
                {
                    var (sumOne, sumTwo) = (Random(one, 3, cols), Random(two, 3, cols));
                    one.SumOverRows(xOne.Reshape(rows, cols), sumOne, accumulate);
                    two.SumOverRows(xTwo.Reshape(rows, cols), sumTwo, accumulate);
                    Same(sumOne, sumTwo, $"sum over rows [{rows},{cols}] accumulate={accumulate} {at}");
                }

            foreach (var reduction in new[] { Reduction.Mean, Reduction.Sum })
            {
                var (lossOne, lossTwo) = (new MseLoss(reduction), new MseLoss(reduction));
                Same(lossOne.Forward(xOne, tOne), lossTwo.Forward(xTwo, tTwo), $"MSE {reduction} {at}");
                Same(lossOne.Backward(), lossTwo.Backward(), $"MSE gradient {reduction} {at}");
            }
        }

        static void Same(Tensor a, Tensor b, string what)
        {
            bool equal = a.DType == DType.Float32 ? a.ToArray<float>().SequenceEqual(b.ToArray<float>()) : a.ToArray<double>().SequenceEqual(b.ToArray<double>());
            Assert.True(equal, $"{what} differs between one and two threads");
        }
    }

    /// <summary>Any column range sums exactly what the reference sums for those columns, and leaves the others alone: the
    /// ranges the device splits into may fall anywhere.</summary>
    [Theory]
    [InlineData(7, 200, 0, 200)]
    [InlineData(33, 200, 64, 128)]
    [InlineData(33, 200, 3, 197)]
    [InlineData(1, 17, 16, 17)]
    [InlineData(65, 129, 128, 129)]
    [InlineData(5, 70, 70, 70)]
    public void AColumnRangeSumsItsColumnsOnly(int rows, int cols, int from, int to)
    {
        var rng = new Rng(5);
        float[] x = Enumerable.Range(0, rows * cols).Select(_ => (float)rng.Uniform(-2, 2)).ToArray();
        float[] start = Enumerable.Range(0, cols).Select(_ => (float)rng.Uniform(-2, 2)).ToArray();
        foreach (SimdLevel level in Enum.GetValues<SimdLevel>())
            foreach (bool accumulate in new[] { false, true })
            {
                float[] expected = (float[])start.Clone(), actual = (float[])start.Clone();
                ReferenceKernels.SumOverRows<float>(x, rows, cols, expected, accumulate);
                CpuKernels.SumOverRows<float>(x, rows, cols, actual, accumulate, level, from, to);
                for (int c = 0; c < cols; c++)
                    Assert.True(c >= from && c < to ? actual[c] == expected[c] : actual[c] == start[c], $"{level} accumulate={accumulate} column {c}");
            }
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuKernels.SumOverRows<float>(x, rows, cols, new float[cols], false, SimdLevel.Vector512, 2, 1));
    }
}
