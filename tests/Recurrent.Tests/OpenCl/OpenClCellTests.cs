// The OpenCL fused LSTM/GRU cell kernels, variable-length masks and layout primitives against the CPU device.
using Recurrent.Tensors;

namespace Recurrent.Tests.OpenCl;

public class OpenClCellTests
{
    private static readonly Device Cpu = Device.Cpu;
    private static readonly int[] Batches = [1, 3, 17, 65];

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void LstmForwardAndBackwardMatchCpu(DType dtype)
    {
        double tol = Ocl.Tol(dtype);
        int seed = 0;
        foreach (int batch in Batches)
            foreach (int hidden in Ocl.Sizes)
            {
                var (gates, dgates) = Ocl.Pair(seed++, dtype, [batch, 4 * hidden], -3, 3);
                var (cPrev, dcPrev) = Ocl.Pair(seed++, dtype, [batch, hidden], -2, 2);
                var (c, dc) = Ocl.Pair(seed++, dtype, [batch, hidden]);
                var (h, dh) = Ocl.Pair(seed++, dtype, [batch, hidden]);
                Cpu.LstmCellForward(gates, cPrev, c, h);
                Ocl.Device.LstmCellForward(dgates, dcPrev, dc, dh);
                string at = $"batch={batch} hidden={hidden}";
                Ocl.Close(gates, dgates, tol, $"lstm gates {at}");
                Ocl.Close(c, dc, tol, $"lstm c {at}");
                Ocl.Close(h, dh, tol, $"lstm h {at}");

                var (gradH, dgradH) = Ocl.Pair(seed++, dtype, [batch, hidden]);
                var (dcNext, ddcNext) = Ocl.Pair(seed++, dtype, [batch, hidden]);
                foreach (bool total in new[] { false, true })
                {
                    var (dG, ddG) = Ocl.Pair(seed++, dtype, [batch, 4 * hidden]);
                    var (dcp, ddcp) = Ocl.Pair(seed++, dtype, [batch, hidden]);
                    var (dct, ddct) = Ocl.Pair(seed++, dtype, [batch, hidden]);
                    Cpu.LstmCellBackward(gates, cPrev, c, gradH, dcNext, dG, dcp, total ? dct : null);
                    Ocl.Device.LstmCellBackward(dgates, dcPrev, dc, dgradH, ddcNext, ddG, ddcp, total ? ddct : null);
                    Ocl.Close(dG, ddG, tol, $"lstm dGates {at} total={total}");
                    Ocl.Close(dcp, ddcp, tol, $"lstm dcPrev {at}");
                    Ocl.Close(dct, ddct, tol, $"lstm dcTotal {at} (untouched without it)");
                }
            }
    }

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void GruForwardAndBackwardMatchCpu(DType dtype)
    {
        double tol = Ocl.Tol(dtype);
        int seed = 0;
        foreach (int batch in Batches)
            foreach (int hidden in Ocl.Sizes)
                foreach (bool withBias in new[] { true, false })
                {
                    string at = $"batch={batch} hidden={hidden} bias={withBias}";
                    var (xg, dxg) = Ocl.Pair(seed++, dtype, [batch, 3 * hidden], -2, 2);
                    var (hg, dhg) = Ocl.Pair(seed++, dtype, [batch, 3 * hidden], -2, 2);
                    var (bhh, dbhh) = Ocl.Pair(seed++, dtype, [3 * hidden]);
                    var (hPrev, dhPrev) = Ocl.Pair(seed++, dtype, [batch, hidden]);
                    var (saved, dsaved) = Ocl.Pair(seed++, dtype, [batch, 4 * hidden]);
                    var (h, dh) = Ocl.Pair(seed++, dtype, [batch, hidden]);
                    Cpu.GruCellForward(xg, hg, withBias ? bhh : null, hPrev, saved, h);
                    Ocl.Device.GruCellForward(dxg, dhg, withBias ? dbhh : null, dhPrev, dsaved, dh);
                    Ocl.Close(saved, dsaved, tol, $"gru saved {at}");
                    Ocl.Close(h, dh, tol, $"gru h {at}");

                    var (gradH, dgradH) = Ocl.Pair(seed++, dtype, [batch, hidden]);
                    var (gx, dgx) = Ocl.Pair(seed++, dtype, [batch, 3 * hidden]);
                    var (gh, dgh) = Ocl.Pair(seed++, dtype, [batch, 3 * hidden]);
                    var (ghp, dghp) = Ocl.Pair(seed++, dtype, [batch, hidden]);
                    Cpu.GruCellBackward(saved, hPrev, gradH, gx, gh, ghp);
                    Ocl.Device.GruCellBackward(dsaved, dhPrev, dgradH, dgx, dgh, dghp);
                    Ocl.Close(gx, dgx, tol, $"gru dxg {at}");
                    Ocl.Close(gh, dgh, tol, $"gru dhg {at}");
                    Ocl.Close(ghp, dghp, tol, $"gru dhPrev {at}");
                }
    }

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void MasksReversalSwapAndColumnsMatchCpu(DType dtype)
    {
        int seed = 0;
        foreach (int batch in new[] { 1, 3, 17 })
            foreach (int features in Ocl.Sizes)
            {
                const int steps = 5;
                string at = $"batch={batch} features={features}";
                var rng = new Random(seed);
                var lengths = Ocl.Cpu(Enumerable.Range(0, batch).Select(_ => (double)rng.Next(steps + 1)).ToArray(), DType.Int32, batch);
                var dlengths = Ocl.OnDevice(lengths);

                for (int t = 0; t < steps; t++)
                {
                    var (x, dx) = Ocl.Pair(seed++, dtype, [batch, features]);
                    var (fb, dfb) = Ocl.Pair(seed++, dtype, [batch, features]);
                    Cpu.MaskEndedRows(lengths, t, x, t % 2 == 0 ? fb : null);
                    Ocl.Device.MaskEndedRows(dlengths, t, dx, t % 2 == 0 ? dfb : null);
                    Ocl.Close(x, dx, 0, $"mask_ended_rows t={t} {at}");
                }

                var (seq, dseq) = Ocl.Pair(seed++, dtype, [steps, batch, features]);
                var (rev, drev) = Ocl.Pair(seed++, dtype, [steps, batch, features]);
                Cpu.ReverseSequences(seq, lengths, rev);
                Ocl.Device.ReverseSequences(dseq, dlengths, drev);
                Ocl.Close(rev, drev, 0, $"reverse_sequences {at}");

                var (swapped, dswapped) = Ocl.Pair(seed++, dtype, [batch, steps, features]);
                Cpu.SwapLeadingDims(seq, swapped);
                Ocl.Device.SwapLeadingDims(dseq, dswapped);
                Ocl.Close(swapped, dswapped, 0, $"swap_leading_dims {at}");

                var (wide, dwide) = Ocl.Pair(seed++, dtype, [batch, features + 4]);
                var (narrow, dnarrow) = Ocl.Pair(seed++, dtype, [batch, features]);
                foreach (bool accumulate in new[] { false, true })
                {
                    Cpu.CopyToColumns(narrow, wide, 3, accumulate);
                    Ocl.Device.CopyToColumns(dnarrow, dwide, 3, accumulate);
                    Ocl.Close(wide, dwide, Ocl.Tol(dtype), $"copy_to_columns {at} accumulate={accumulate}");
                    Cpu.CopyFromColumns(wide, 1, narrow, accumulate);
                    Ocl.Device.CopyFromColumns(dwide, 1, dnarrow, accumulate);
                    Ocl.Close(narrow, dnarrow, Ocl.Tol(dtype), $"copy_from_columns {at} accumulate={accumulate}");
                }
            }
    }
}
