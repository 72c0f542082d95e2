// Two whole experiments on OpenCL against the CPU device: the same seeds give the same per-epoch loss curves (float32).
using Recurrent.Tasks.Experiments;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;
using Xunit.Abstractions;

namespace Recurrent.Tests.OpenCl;

public class OpenClExperimentTests(ITestOutputHelper output)
{
    /// <summary>
    /// How far two float32 curves may drift apart, relative to 1 + |loss|: the kernels sum in other orders, and Adam
    /// carries the rounding through every epoch. Measured here (PoCL): at most 4e-8; the bound is 250× that, and still
    /// far below any effect of training (a loss curve moves by 1e-3 per epoch).
    /// </summary>
    private const double Tolerance = 1e-5;

    [OpenClTheory]
    [InlineData("lstm")]
    [InlineData("rnn")]
    public void FirstTokenGivesTheCpuLossCurveOnOpenCl(string model)
    {
        var settings = new Dictionary<string, string>
        {
            ["n"] = "64", ["seq-len"] = "10", ["hidden"] = "8", ["epochs"] = "12", ["test-n"] = "32", ["models"] = model,
        };
        var (cpu, ocl) = Both(new FirstTokenExperiment(), settings);
        Same(cpu.Curves["loss"], ocl.Curves["loss"], "first-token loss");
        Same([cpu.Metrics["val_loss"]], [ocl.Metrics["val_loss"]], "first-token val_loss");
        Same(cpu.Series["grad_norm_by_step"], ocl.Series["grad_norm_by_step"], "first-token ‖dL/dh_t‖");
    }

    [OpenClTheory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void CopyDelayGivesTheCpuLossCurvesOnOpenCl(string model)
    {
        var settings = new Dictionary<string, string>
        {
            ["delays"] = "3", ["models"] = model, ["hidden"] = "8", ["batch"] = "8", ["epochs"] = "4", ["patience"] = "10",
            ["batches-per-epoch"] = "12", ["val-batches"] = "3", ["test-batches"] = "2",
        };
        var (cpu, ocl) = Both(new CopyDelayExperiment(), settings);
        Assert.Equal(cpu.Metrics["epochs"], ocl.Metrics["epochs"]);
        Same(cpu.Curves["train_loss"], ocl.Curves["train_loss"], "copy-delay train_loss");
        Same(cpu.Curves["val_loss"], ocl.Curves["val_loss"], "copy-delay val_loss");
        Assert.InRange(Math.Abs(cpu.Metrics["accuracy"] - ocl.Metrics["accuracy"]), 0, 0.02); // a bit whose logit sits at 0 may flip
    }

    /// <summary>
    /// Every other experiment in the catalog, at a tiny size, runs on OpenCL (data uploaded, the losses summed on the
    /// device) and gives the CPU's curves. Clipping (adding, copy-memory, char-lstm) is on, so GradNormClipper is exercised.
    /// </summary>
    [OpenClTheory]
    [InlineData("mean-stacked", "n=24,test-n=12,seq-len=6,hidden=4,epochs=3,depths=single,stacked")]
    [InlineData("sine", "samples=120,seq-len=8,hidden=4,batch=16,epochs=2,models=lstm")]
    [InlineData("echo", "n=48,test-n=16,seq-len=6,hidden=4,batch=16,epochs=2,models=gru")]
    [InlineData("palindrome", "n=48,test-n=16,seq-len=5,vocab=4,embed=3,hidden=4,batch=16,epochs=2,directions=bi")]
    [InlineData("char-lstm", "seq-len=12,batch=16,embed=3,hidden=6,epochs=2,clip=0.5,models=lstm,sample-length=10")]
    [InlineData("hidden-pca", "samples=120,seq-len=8,hidden=4,batch=16,epochs=2")]
    [InlineData("adding", "seq-len=20,hidden=4,batch=8,epochs=2,batches-per-epoch=4,val-n=16,test-n=16,models=lstm,clip=0.1")]
    [InlineData("copy-memory", "delay=3,hidden=4,batch=8,epochs=2,batches-per-epoch=4,val-n=16,test-n=16,models=rnn,clip=0.1")]
    public void EveryExperimentRunsOnOpenClWithTheCpuCurves(string name, string overrides)
    {
        var experiment = ExperimentCatalog.Find(name)!;
        var settings = new Dictionary<string, string>();
        string? key = null;
        foreach (string part in overrides.Split(','))
        {
            int eq = part.IndexOf('=');
            if (eq < 0) settings[key!] += "," + part; // a list value: "depths=single,stacked"
            else settings[key = part[..eq]] = part[(eq + 1)..];
        }
        var parsed = new Settings(experiment.Parameters, settings);
        foreach (var configuration in experiment.Configurations(parsed))
        {
            RunResult On(Device device) => experiment.Run(configuration, parsed, new RunContext(configuration, 0, 13, device, CancellationToken.None));
            var (cpu, ocl) = (On(new CpuDevice(1)), On(Ocl.Device));
            Assert.Equal(cpu.Curves.Keys.Order(), ocl.Curves.Keys.Order());
            foreach (var (curve, values) in cpu.Curves)
                if (!curve.Contains("accuracy")) Same(values, ocl.Curves[curve], $"{name} {configuration.Id} {curve}");
        }
    }

    private (RunResult Cpu, RunResult Ocl) Both(Experiment experiment, Dictionary<string, string> overrides)
    {
        var settings = new Settings(experiment.Parameters, overrides);
        var configuration = Assert.Single(experiment.Configurations(settings));
        RunResult On(Device device) => experiment.Run(configuration, settings, new RunContext(configuration, 0, 11, device, CancellationToken.None));
        return (On(new CpuDevice(1)), On(Ocl.Device));
    }

    private void Same(double[] cpu, double[] ocl, string what)
    {
        Assert.Equal(cpu.Length, ocl.Length);
        double worst = 0;
        for (int i = 0; i < cpu.Length; i++)
        {
            double diff = Math.Abs(cpu[i] - ocl[i]);
            worst = Math.Max(worst, diff / (1 + Math.Abs(cpu[i])));
            Assert.True(diff <= Tolerance * (1 + Math.Abs(cpu[i])), $"{what}[{i}]: OpenCL {ocl[i]:R}, CPU {cpu[i]:R}");
        }
        output.WriteLine($"{what}: {cpu.Length} values, largest |OpenCL − CPU| / (1 + |CPU|) = {worst:E2}; CPU {string.Join(" ", cpu.Take(6).Select(v => v.ToString("F5")))} …");
    }
}
