// The OpenCL losses (MSE, BCE, BCE-with-logits, cross-entropy; forward and backward; masks, reductions, ignore_index) against the CPU device.
using Recurrent.Tensors;

namespace Recurrent.Tests.OpenCl;

public class OpenClLossTests
{
    private static readonly Device Cpu = Device.Cpu;

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void ElementwiseLossesMatchCpu(DType dtype)
    {
        double tol = Ocl.Tol(dtype);
        int seed = 0;
        foreach (ElementwiseLossKind kind in Enum.GetValues<ElementwiseLossKind>())
            foreach (Reduction reduction in Enum.GetValues<Reduction>())
                foreach (bool masked in new[] { false, true })
                    foreach (int rows in new[] { 1, 3, 17, 257 })
                        foreach (int cols in new[] { 1, 3, 33 })
                        {
                            string at = $"{kind} {reduction} masked={masked} {rows}x{cols}";
                            // BCE takes probabilities; the others any real.
                            var (x, dx) = kind == ElementwiseLossKind.Bce ? Ocl.Pair(seed++, dtype, [rows, cols], 0.01, 0.99) : Ocl.Pair(seed++, dtype, [rows, cols], -3, 3);
                            var (y, dy) = Ocl.Pair(seed++, dtype, [rows, cols], 0, 1);
                            Tensor? mask = null, dmask = null;
                            if (masked)
                            {
                                // Weights 0, 0.5, 1, 2 in turn; a NaN in row 0's input, whose weight is 0, must not leak.
                                mask = Ocl.Cpu(Enumerable.Range(0, rows).Select(r => new[] { 0, 0.5, 1, 2 }[r % 4]).ToArray(), dtype, rows);
                                dmask = Ocl.OnDevice(mask);
                                Poison(x, dx, 0);
                            }
                            var (loss, dloss) = Ocl.Pair(seed++, dtype, [1]);
                            Cpu.ElementwiseLoss(kind, x, y, mask, reduction, loss);
                            Ocl.Device.ElementwiseLoss(kind, dx, dy, dmask, reduction, dloss);
                            if (masked && rows == 1 && reduction == Reduction.Mean) Assert.True(double.IsNaN(dloss.Item()), $"{at}: a mean over no rows is NaN");
                            Ocl.Close(loss, dloss, tol * 10, $"loss {at}");

                            var (g, dg) = Ocl.Pair(seed++, dtype, [1], 0.5, 2);
                            var (grad, dgrad) = Ocl.Pair(seed++, dtype, [rows, cols]);
                            Cpu.ElementwiseLossBackward(kind, x, y, mask, reduction, g, grad);
                            Ocl.Device.ElementwiseLossBackward(kind, dx, dy, dmask, reduction, dg, dgrad);
                            Ocl.Close(grad, dgrad, tol, $"backward {at}");
                            Cpu.ElementwiseLossBackward(kind, x, y, mask, reduction, null, grad);
                            Ocl.Device.ElementwiseLossBackward(kind, dx, dy, dmask, reduction, null, dgrad);
                            Ocl.Close(grad, dgrad, tol, $"backward without gradOutput {at}");
                        }
    }

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void CrossEntropyMatchesCpu(DType dtype)
    {
        double tol = Ocl.Tol(dtype);
        int seed = 0;
        foreach (Reduction reduction in Enum.GetValues<Reduction>())
            foreach (bool masked in new[] { false, true })
                foreach (int rows in new[] { 1, 3, 17, 257 })
                    foreach (int cols in Ocl.Sizes)
                    {
                        string at = $"{reduction} masked={masked} {rows}x{cols}";
                        var rng = new Random(seed);
                        // Every 5th row ignored (-100), the rest a class in [0, cols).
                        var targets = Ocl.Cpu(Enumerable.Range(0, rows).Select(r => r % 5 == 4 ? -100.0 : rng.Next(cols)).ToArray(), DType.Int32, rows);
                        var dtargets = Ocl.OnDevice(targets);
                        var (x, dx) = Ocl.Pair(seed++, dtype, [rows, cols], -4, 4);
                        Tensor? mask = null, dmask = null;
                        if (masked)
                        {
                            mask = Ocl.Cpu(Enumerable.Range(0, rows).Select(r => new[] { 1, 0, 0.5, 2 }[r % 4]).ToArray(), dtype, rows);
                            dmask = Ocl.OnDevice(mask);
                            if (rows > 1) Poison(x, dx, 1); // row 1 has weight 0
                        }
                        var (loss, dloss) = Ocl.Pair(seed++, dtype, [1]);
                        Cpu.CrossEntropyLoss(x, targets, mask, reduction, -100, loss);
                        Ocl.Device.CrossEntropyLoss(dx, dtargets, dmask, reduction, -100, dloss);
                        Ocl.Close(loss, dloss, tol * 10, $"cross-entropy {at}");

                        var (g, dg) = Ocl.Pair(seed++, dtype, [1], 0.5, 2);
                        var (grad, dgrad) = Ocl.Pair(seed++, dtype, [rows, cols]);
                        Cpu.CrossEntropyLossBackward(x, targets, mask, reduction, -100, g, grad);
                        Ocl.Device.CrossEntropyLossBackward(dx, dtargets, dmask, reduction, -100, dg, dgrad);
                        Ocl.Close(grad, dgrad, tol, $"cross-entropy backward {at}");

                        // In place: dLogits is logits itself.
                        Cpu.CrossEntropyLossBackward(x, targets, mask, reduction, -100, null, x);
                        Ocl.Device.CrossEntropyLossBackward(dx, dtargets, dmask, reduction, -100, null, dx);
                        Ocl.Close(x, dx, tol, $"cross-entropy backward in place {at}");
                    }
    }

    /// <summary>A NaN in row <paramref name="row"/> of both twins (a row whose mask weight is 0).</summary>
    private static void Poison(Tensor cpu, Tensor ocl, int row)
    {
        double[] v = Ocl.Values(cpu);
        v[row * cpu.Dim(-1)] = double.NaN;
        using var poisoned = Ocl.Cpu(v, cpu.DType, cpu.Shape.ToArray());
        Device.Cpu.Copy(poisoned, cpu);
        var bytes = new byte[cpu.Length * cpu.DType.SizeInBytes()];
        Device.Cpu.Read(cpu, bytes);
        ocl.Device.Write(ocl, bytes);
    }
}
