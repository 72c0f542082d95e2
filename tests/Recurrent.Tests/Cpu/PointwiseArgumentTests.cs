// Bad arguments: both CpuKernels and ReferenceKernels throw ArgumentException naming the argument and what was expected.
using Recurrent.Tensors.Cpu;
using Xunit;

namespace Recurrent.Tests.Cpu;

public class PointwiseArgumentTests
{
    private static void Throws(string param, string[] fragments, Action cpu, Action reference)
    {
        foreach (Action act in new[] { cpu, reference })
        {
            var ex = Assert.ThrowsAny<ArgumentException>(act);
            Assert.Equal(param, ex.ParamName);
            foreach (string f in fragments) Assert.Contains(f, ex.Message);
        }
    }

    [Fact]
    public void Input_length_mismatch_names_the_input_and_the_expected_length()
    {
        var a = new float[5]; var b = new float[4]; var y = new float[5];
        Throws("b", ["length 4", "expected 5"], () => CpuKernels.Add<float>(a, b, y), () => ReferenceKernels.Add<float>(a, b, y));
        Throws("b", ["length 4", "expected 5"], () => CpuKernels.Mul<float>(a, b, y), () => ReferenceKernels.Mul<float>(a, b, y));
        Throws("dy", ["length 4", "expected 5"], () => CpuKernels.TanhBackward<float>(a, b, y), () => ReferenceKernels.TanhBackward<float>(a, b, y));
    }

    [Fact]
    public void Short_destination_names_the_destination_and_the_needed_length()
    {
        var x = new double[9]; var y = new double[8];
        Throws("y", ["too short", "length 8", "at least 9"], () => CpuKernels.Sigmoid<double>(x, y), () => ReferenceKernels.Sigmoid<double>(x, y));
        Throws("y", ["too short", "at least 9"], () => CpuKernels.Axpy(1.0, x, y), () => ReferenceKernels.Axpy(1.0, x, y));
        Throws("y", ["too short", "at least 9"], () => CpuKernels.Copy<double>(x, y), () => ReferenceKernels.Copy<double>(x, y));
        Throws("dx", ["too short", "at least 9"], () => CpuKernels.ReluBackward<double>(x, x, y), () => ReferenceKernels.ReluBackward<double>(x, x, y));
        Throws("y", ["too short", "at least 3"], () => CpuKernels.SumOverRows<double>(x, 3, 3, y.AsSpan(0, 2), false),
            () => ReferenceKernels.SumOverRows<double>(x, 3, 3, y.AsSpan(0, 2), false));
        Throws("y", ["too short", "3*3 = 9"], () => CpuKernels.Softmax<double>(x, 3, 3, y), () => ReferenceKernels.Softmax<double>(x, 3, 3, y));
    }

    [Fact]
    public void Matrix_span_not_matching_rows_times_cols_names_it_and_the_shape()
    {
        var x = new float[10]; var y = new float[12]; var bias = new float[4];
        Throws("x", ["length 10", "rows*cols = 3*4 = 12", "[3, 4]"], () => CpuKernels.Softmax<float>(x, 3, 4, y), () => ReferenceKernels.Softmax<float>(x, 3, 4, y));
        Throws("x", ["rows*cols = 3*4 = 12"], () => CpuKernels.AddBias<float>(x, 3, 4, bias), () => ReferenceKernels.AddBias<float>(x, 3, 4, bias));
        Throws("x", ["rows*cols = 3*4 = 12"], () => CpuKernels.SumOverCols<float>(x, 3, 4, y, false), () => ReferenceKernels.SumOverCols<float>(x, 3, 4, y, false));
        Throws("bias", ["length 4", "expected 5", "cols"], () => CpuKernels.AddBias<float>(y.AsSpan(0, 10), 2, 5, bias),
            () => ReferenceKernels.AddBias<float>(y.AsSpan(0, 10), 2, 5, bias));
        Throws("table", ["vocab*dim = 3*4 = 12"], () => CpuKernels.EmbeddingGather<float>(x, 3, 4, [0], y),
            () => ReferenceKernels.EmbeddingGather<float>(x, 3, 4, [0], y));
        Throws("dTable", ["vocab*dim = 2*4 = 8"], () => CpuKernels.EmbeddingScatterAdd<float>(bias, [0], 2, 4, x),
            () => ReferenceKernels.EmbeddingScatterAdd<float>(bias, [0], 2, 4, x));
    }

    [Fact]
    public void Negative_sizes_name_the_size()
    {
        var x = new float[4]; var y = new float[4];
        Throws("rows", [">= 0", "-1"], () => CpuKernels.Softmax<float>(x, -1, 4, y), () => ReferenceKernels.Softmax<float>(x, -1, 4, y));
        Throws("cols", [">= 0", "-4"], () => CpuKernels.SumOverRows<float>(x, 1, -4, y, true), () => ReferenceKernels.SumOverRows<float>(x, 1, -4, y, true));
        Throws("dim", [">= 0"], () => CpuKernels.EmbeddingGather<float>(x, 1, -4, [0], y), () => ReferenceKernels.EmbeddingGather<float>(x, 1, -4, [0], y));
    }

    [Fact]
    public void Index_outside_vocab_names_indices_the_position_and_the_vocab_size_and_writes_nothing()
    {
        var table = new float[3 * 2]; var y = new float[4 * 2]; var dTable = new float[3 * 2];
        int[] idx = [0, 2, 3, 1];
        foreach (Action act in new Action[]
        {
            () => CpuKernels.EmbeddingGather<float>(table, 3, 2, idx, y),
            () => ReferenceKernels.EmbeddingGather<float>(table, 3, 2, idx, y),
            () => CpuKernels.EmbeddingScatterAdd<float>(y, idx, 3, 2, dTable),
            () => ReferenceKernels.EmbeddingScatterAdd<float>(y, idx, 3, 2, dTable),
        })
        {
            y.AsSpan().Fill(7f);
            var ex = Assert.Throws<ArgumentOutOfRangeException>(act);
            Assert.Equal("indices", ex.ParamName);
            Assert.Contains("indices[2] = 3", ex.Message);
            Assert.Contains("[0, 3)", ex.Message);
            Assert.All(dTable, v => Assert.Equal(0f, v));
        }
        Assert.Contains("indices[0] = -1", Assert.Throws<ArgumentOutOfRangeException>(
            () => CpuKernels.EmbeddingGather<float>(table, 3, 2, [-1], y)).Message);
    }

    [Fact]
    public void Shifted_overlap_of_destination_and_input_is_rejected_exact_aliasing_is_not()
    {
        var buf = new float[20];
        Throws("y", ["overlaps x shifted by"], () => CpuKernels.Relu<float>(buf.AsSpan(0, 10), buf.AsSpan(1, 10)),
            () => ReferenceKernels.Relu<float>(buf.AsSpan(0, 10), buf.AsSpan(1, 10)));
        Throws("y", ["overlaps b"], () => CpuKernels.Add<float>(buf.AsSpan(10, 5), buf.AsSpan(0, 5), buf.AsSpan(2, 5)),
            () => ReferenceKernels.Add<float>(buf.AsSpan(10, 5), buf.AsSpan(0, 5), buf.AsSpan(2, 5)));
        CpuKernels.Relu<float>(buf.AsSpan(0, 10), buf.AsSpan(0, 10));   // in place: fine
        Throws("dTable", ["must not overlap dy"], () => CpuKernels.EmbeddingScatterAdd<float>(buf.AsSpan(0, 2), [0], 2, 2, buf.AsSpan(1, 4)),
            () => ReferenceKernels.EmbeddingScatterAdd<float>(buf.AsSpan(0, 2), [0], 2, 2, buf.AsSpan(1, 4)));
    }
}
