// Where one LSTM training step's time goes: CPU time per phase of the whole step, then per primitive at the step's shapes.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Benchmarks;

/// <summary>
/// `step-profile --batch B --input I --hidden H --seq-len T --threads N [--rounds R] [--phases-only]`: the step `recurrent bench step`
/// times (batch-first LSTM → Linear head on every step → MSE → backward → Adam), split into phases, each phase timed by
/// process CPU time (clock_gettime, ns; both threads when N = 2) and wall time, summed over R rounds of ~1 s; then every
/// primitive the layer calls, at the layer's shapes, times the number of calls per step, so the big items stand out.
/// </summary>
public static class StepProfile
{
    public static int Run(string[] args)
    {
        int Arg(string name, int fallback) => Array.IndexOf(args, name) is int i and >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        int batch = Arg("--batch", 32), input = Arg("--input", 5), hidden = Arg("--hidden", 32), steps = Arg("--seq-len", 40);
        int threads = Arg("--threads", 1), rounds = Arg("--rounds", 3);
        var device = new CpuDevice(threads);
        Console.WriteLine($"LSTM B={batch} I={input} H={hidden} T={steps} threads={threads}, {DateTime.UtcNow:HH:mm} UTC");
        Phases(device, batch, input, hidden, steps, rounds);
        if (!args.Contains("--phases-only")) Primitives(device, batch, input, hidden, steps);
        return 0;
    }

    static void Phases(CpuDevice device, int batch, int input, int hidden, int steps, int rounds)
    {
        var rng = new Rng(1);
        var layer = new Lstm(input, hidden, new RecurrentOptions { BatchFirst = true }, rng, device);
        var head = new Linear(hidden, input, true, rng, device);
        var loss = new MseLoss();
        var adam = new Adam(layer.NamedParameters().Concat(head.NamedParameters().Select(p => ("fc." + p.Name, p.Parameter))), lr: 1e-3);
        var x = Tensor.Zeros([batch, steps, input], DType.Float32, device);
        var target = Tensor.Zeros([batch, steps, input], DType.Float32, device);
        rng.FillUniform(x, -1, 1);
        rng.FillUniform(target, -1, 1);

        string[] names = ["zero grad", "layer forward", "head forward", "loss fwd+bwd", "head backward", "layer backward", "adam"];
        var cpu = new double[names.Length];
        var wall = new double[names.Length];
        Tensor result = null!, prediction = null!, dOut = null!;
        Action[] phases =
        [
            () => adam.ZeroGrad(),
            () => result = layer.Forward(x).Output,
            () => prediction = head.Forward(result),
            () => { loss.Forward(prediction, target); dOut = loss.Backward(); },
            () => dOut = head.Backward(dOut),
            () => layer.Backward(dOut, inputGradient: false),
            () => adam.Step(),
        ];
        void OneStep(bool timed)
        {
            for (int p = 0; p < phases.Length; p++)
            {
                double c0 = Clock.Micros(Clock.Process);
                long w0 = Stopwatch.GetTimestamp();
                phases[p]();
                if (!timed) continue;
                wall[p] += Stopwatch.GetElapsedTime(w0).TotalMicroseconds;
                cpu[p] += Clock.Micros(Clock.Process) - c0;
            }
        }
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 1.5) OneStep(false);
        int count = 0;
        for (int r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed.TotalSeconds < 1) { OneStep(true); count++; }
        }
        Console.WriteLine($"phases, µs per training step (mean of {count} steps):");
        Console.WriteLine("| phase | CPU µs | wall µs |\n| --- | ---: | ---: |");
        for (int p = 0; p < names.Length; p++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {names[p]} | {cpu[p] / count:F1} | {wall[p] / count:F1} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| total | {cpu.Sum() / count:F1} | {wall.Sum() / count:F1} |"));
    }

    static void Primitives(CpuDevice dev, int b, int i, int h, int t)
    {
        int g = 4 * h;
        var rng = new Rng(2);
        Tensor T(params int[] shape) { var z = Tensor.Zeros(shape, DType.Float32, dev); rng.FillUniform(z, -0.5, 0.5); return z; }
        Tensor xBf = T(b, t, i), xTf = T(t, b, i), wIh = T(g, i), wHh = T(g, h), bias = T(g);
        Tensor gates = T(t, b, g), hs = T(t + 1, b, h), cs = T(t + 1, b, h), outTf = T(t, b, h), outBf = T(b, t, h);
        Tensor dG = T(t, b, g), dh = T(b, h), dhPrev = T(b, h), dc = T(b, h), dcPrev = T(b, h), dy = T(t, b, h);
        Tensor dWih = T(g, i), dWhh = T(g, h), biasGrad = T(g);
        Tensor headW = T(i, h), headOut = T(t * b, i), dHead = T(t * b, i), dHeadW = T(i, h), dHeadX = T(t * b, h);
        Tensor gates0 = gates[0], c0 = cs[0], c1 = cs[1], h0 = hs[0], h1 = hs[1], dG0 = dG[0], dy0 = dy[0];
        Tensor flatX = xTf.Reshape(-1, i), flatG = gates.Reshape(-1, g), flatDG = dG.Reshape(-1, g), flatHead = hs.Narrow(0, t).Reshape(t * b, h);
        // Cell forward overwrites its gates with activations: keep the input in a sane range by refreshing from a copy.
        Tensor gatesSrc = gates0.Clone();
        PreparedWeight hhF = dev.Prepare(wHh, transpose: true), hhB = dev.Prepare(wHh, transpose: false);

        var rows = new List<(string Name, int PerStep, Action Call)>
        {
            ("fwd: swap x to time-first", 1, () => dev.SwapLeadingDims(xBf, xTf)),
            ($"fwd: x·W_ihᵀ [{t * b},{i}]·[{i},{g}]", 1, () => dev.Gemm(flatX, false, wIh, true, flatG)),
            ("fwd: add bias ×2", 2, () => dev.AddBias(flatG, bias)),
            ($"fwd step, alone (not in the sum): h·W_hhᵀ [{b},{h}]·[{h},{g}] (β=1), prepared", 0, () => dev.Gemm(h0, hhF, gates0, beta: 1)),
            ($"fwd step, alone (not in the sum): LSTM cell [{b},{g}] + a copy", 0, () => { dev.Copy(gatesSrc, gates0); dev.LstmCellForward(gates0, c0, c1, h1); }),
            ($"fwd step: product + cell in one call (LstmStepForward) + a copy", t, () => { dev.Copy(gatesSrc, gates0); dev.LstmStepForward(h0, hhF, gates0, c0, c1, h1); }),
            ("  (the copy inside the row above)", -t, () => dev.Copy(gatesSrc, gates0)),
            ("fwd: copy H → output ×2", 2, () => dev.Copy(hs.Narrow(0, t), outTf)),
            ("fwd: swap output to batch-first", 1, () => dev.SwapLeadingDims(outTf, outBf)),
            ($"head: y·Wᵀ [{t * b},{h}]·[{h},{i}]", 1, () => dev.Gemm(dHeadX, false, headW, true, headOut)),
            ($"head: dWᵀ dyᵀ·y [{i},{t * b}]·[{t * b},{h}]", 1, () => dev.Gemm(dHead, true, dHeadX, false, dHeadW, beta: 1)),
            ($"head: dx dy·W [{t * b},{i}]·[{i},{h}]", 1, () => dev.Gemm(dHead, false, headW, false, dHeadX)),
            ("bwd: swap dOut + copy to DY", 1, () => { dev.SwapLeadingDims(outBf, outTf); dev.Copy(outTf, dy); }),
            ("bwd step: dh += dY_t", t, () => dev.Add(dh, dy0, dh)),
            ($"bwd step, alone (not in the sum): LSTM cell backward [{b},{g}]", 0, () => dev.LstmCellBackward(gates0, c0, c1, dh, dc, dG0, dcPrev)),
            ($"bwd step, alone (not in the sum): dG·W_hh [{b},{g}]·[{g},{h}], prepared", 0, () => dev.Gemm(dG0, hhB, dhPrev)),
            ("bwd step: cell backward + product in one call (LstmStepBackward)", t, () => dev.LstmStepBackward(gates0, c0, c1, dh, dc, dG0, dcPrev, null, hhB, dhPrev)),
            ("fwd+bwd: prepare W_hh twice", 1, () => { dev.Prepare(wHh, true, hhF); dev.Prepare(wHh, false, hhB); }),
            ($"bwd: dW_ih dGᵀ·X [{g},{t * b}]·[{t * b},{i}]", 1, () => dev.Gemm(flatDG, true, flatX, false, dWih, beta: 1)),
            ($"bwd: dW_hh dGᵀ·H [{g},{t * b}]·[{t * b},{h}]", 1, () => dev.Gemm(flatDG, true, flatHead, false, dWhh, beta: 1)),
            ("bwd: bias sum + 2 adds", 1, () => { dev.SumOverRows(flatDG, biasGrad); dev.Add(biasGrad, bias, biasGrad); dev.Add(biasGrad, bias, biasGrad); }),
        };
        Console.WriteLine("\nprimitives at the step's shapes (process CPU and wall µs per call, min of 7 batches of ~20 ms; per step = × calls):");
        Console.WriteLine("| primitive | CPU µs per call | wall µs per call | calls per step | CPU µs per step | wall µs per step |\n| --- | ---: | ---: | ---: | ---: | ---: |");
        double total = 0, totalWall = 0;
        foreach (var (name, perStep, call) in rows)
        {
            int n = Calibrate(call);
            double best = double.MaxValue, bestWall = double.MaxValue;
            for (int r = 0; r < 7; r++)
            {
                double c0t = Clock.Micros(Clock.Process);
                long w0 = Stopwatch.GetTimestamp();
                for (int k = 0; k < n; k++) call();
                bestWall = Math.Min(bestWall, Stopwatch.GetElapsedTime(w0).TotalMicroseconds / n);
                best = Math.Min(best, (Clock.Micros(Clock.Process) - c0t) / n);
            }
            total += best * perStep; // the copy row has a negative count: it takes back the copy inside the cell row
            totalWall += bestWall * perStep;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {best:F2} | {bestWall:F2} | {perStep} | {best * perStep:F1} | {bestWall * perStep:F1} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| sum (forward step without its copy) | | | | {total:F1} | {totalWall:F1} |"));
    }

    static int Calibrate(Action call)
    {
        for (int k = 0; k < 20; k++) call();
        var sw = Stopwatch.StartNew();
        int calls = 0;
        while (sw.Elapsed.TotalMilliseconds < 20) { call(); calls++; }
        return Math.Max(1, calls);
    }
}

/// <summary>clock_gettime CPU clocks (ns resolution; Process.TotalProcessorTime counts 10 ms ticks on Linux).</summary>
internal static class Clock
{
    public const int Process = 2, Thread = 3; // CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID

    public static double Micros(int clock)
    {
        if (OperatingSystem.IsLinux() && clock_gettime(clock, out TimeSpec ts) == 0) return ts.Seconds * 1e6 + ts.Nanoseconds / 1e3;
        return System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", SetLastError = false)]
    static extern int clock_gettime(int clockId, out TimeSpec time);
}
