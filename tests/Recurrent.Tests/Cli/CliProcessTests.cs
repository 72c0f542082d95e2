// `recurrent` as a real process (`dotnet recurrent.dll …`): exit codes 2, 1 and 0, and SIGINT/SIGTERM → 130/143 with a state that resumes.
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Recurrent.Tests.Cli;

/// <summary>A test that sends POSIX signals: skipped on Windows, which has none to send.</summary>
public sealed class PosixFactAttribute : FactAttribute
{
    public PosixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "sends SIGINT/SIGTERM, which Windows does not have";
    }
}

public sealed partial class CliProcessTests : IDisposable
{
    private const int SIGINT = 2, SIGTERM = 15; // the same numbers on Linux and macOS
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly string _folder = Directory.CreateTempSubdirectory("recurrent-process-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string P(string name) => Path.Combine(_folder, name);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>
    /// The command's assembly. The test project references Recurrent.Cli, so the build copies recurrent.dll (with its
    /// runtimeconfig.json and deps.json) beside the test assembly; failing that, the CLI project's own output folder of
    /// the same configuration, found from the solution root.
    /// </summary>
    private static string CliAssembly()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "recurrent.dll");
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json"))) return beside;
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Recurrent.sln"))) continue;
            string built = Path.Combine(dir.FullName, "src", "Recurrent.Cli", "bin", configuration, "net10.0", "recurrent.dll");
            if (File.Exists(built)) return built;
        }
        throw new FileNotFoundException($"recurrent.dll is neither beside the tests ({AppContext.BaseDirectory}) nor in src/Recurrent.Cli/bin/{configuration}; build the solution first");
    }

    /// <summary>The dotnet host that runs these tests (DOTNET_HOST_PATH when the SDK set it), else `dotnet` on the PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }

    /// <summary>A started `recurrent` process whose stdout and stderr are collected line by line as they come.</summary>
    private sealed class CliProcess : IDisposable
    {
        private readonly StringBuilder _out = new(), _err = new();
        private readonly object _gate = new();
        private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

        public CliProcess(string workingDirectory, params string[] args) : this(workingDirectory, null, args) { }

        /// <param name="environment">variables set (value) or removed (null) for the child only</param>
        public CliProcess(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
        {
            var start = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
                if (value is null) start.Environment.Remove(name);
                else start.Environment[name] = value;
            start.ArgumentList.Add(CliAssembly());
            foreach (string a in args) start.ArgumentList.Add(a);
            Process = new Process { StartInfo = start };
            Process.OutputDataReceived += (_, e) => Add(_out, e.Data);
            Process.ErrorDataReceived += (_, e) => Add(_err, e.Data);
            Process.Start();
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }
        public string Out { get { lock (_gate) return _out.ToString(); } }
        public string Err { get { lock (_gate) return _err.ToString(); } }

        private void Add(StringBuilder sink, string? line)
        {
            if (line is null) return;
            lock (_gate)
            {
                sink.AppendLine(line);
                foreach (var (text, seen) in _waits)
                    if (line.Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
            }
        }

        /// <summary>Waits until a line containing <paramref name="text"/> appears on stdout or stderr.</summary>
        public bool WaitForLine(string text, TimeSpan timeout)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_out.ToString().Contains(text, StringComparison.Ordinal) || _err.ToString().Contains(text, StringComparison.Ordinal)) return true;
                _waits.Add((text, seen));
            }
            return seen.Task.Wait(timeout);
        }

        public int Finish()
        {
            if (!Process.WaitForExit(Limit))
            {
                Process.Kill(entireProcessTree: true);
                throw new TimeoutException($"recurrent did not finish within {Limit.TotalSeconds} s; stderr: {Err}");
            }
            Process.WaitForExit(); // drains the asynchronous readers
            return Process.ExitCode;
        }

        public void Dispose() => Process.Dispose();
    }

    private (int Code, string Out, string Err) RunToEnd(params string[] args)
    {
        using var process = new CliProcess(_folder, args);
        int code = process.Finish();
        return (code, process.Out, process.Err);
    }

    /// <summary>
    /// With no OpenCL platform (the ICD loader pointed at an empty vendors folder, as on a machine without any driver),
    /// --device opencl is a usage error: exit 2, the reason and what to install; `devices` still lists the CPU and says so.
    /// </summary>
    [Fact]
    public void OpenClWithoutAnyPlatformExitsWithTwoAndSaysWhatToInstall()
    {
        string empty = Directory.CreateDirectory(P("no-vendors")).FullName;
        var noPlatform = new Dictionary<string, string?> { ["OCL_ICD_VENDORS"] = empty };
        File.WriteAllText(P("t.txt"), CliHarness.Words(50));
        using (var run = new CliProcess(_folder, noPlatform, "train", "--text", "t.txt", "--epochs", "1", "--device", "opencl", "--checkpoint", "m.safetensors"))
        {
            Assert.Equal(2, run.Finish());
            Assert.Contains("--device opencl: OpenCL is not available", run.Err);
            Assert.Contains("apt-get install pocl-opencl-icd ocl-icd-libopencl1", run.Err);
            Assert.Contains("GPU vendor's OpenCL driver", run.Err);
            Assert.False(File.Exists(P("m.safetensors")));
        }
        using var devices = new CliProcess(_folder, noPlatform, "devices");
        Assert.Equal(0, devices.Finish());
        Assert.Contains("cores", devices.Out);
        Assert.Contains("opencl     none:", devices.Out);
        Assert.Contains("auto       the CPU device", devices.Out);
    }

    [Fact]
    public void AnUnknownOptionExitsWithTwo()
    {
        var (code, output, err) = RunToEnd("train", "--text", "t.txt", "--no-such-option");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--no-such-option", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void ACorruptCheckpointExitsWithOneAndOneLine()
    {
        File.WriteAllBytes(P("bad.safetensors"), [200, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'"']);
        var (code, output, err) = RunToEnd("sample", "--checkpoint", P("bad.safetensors"));
        Assert.Equal(1, code);
        Assert.Equal("", output);
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error:", line);
        Assert.Contains("bad.safetensors", line);
    }

    [Fact]
    public void ATinyTrainExitsWithZeroAndItsModelSamples()
    {
        File.WriteAllText(P("t.txt"), CliHarness.Words(300));
        var (code, output, err) = RunToEnd("train", "--text", "t.txt", "--hidden", "8", "--seq-len", "10", "--stride", "10", "--epochs", "2",
            "--checkpoint", "m.safetensors", "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains("epoch 2/2", output);
        Assert.Contains("device: auto chose the CPU", err);
        Assert.True(File.Exists(P("m.safetensors")));

        (code, output, err) = RunToEnd("sample", "--checkpoint", "m.safetensors", "--prime", "the", "--length", "20", "--seed", "2");
        Assert.True(code == 0, err);
        Assert.StartsWith("the", output);
    }

    /// <summary>
    /// bench step --device all: a row per device; the OpenCL one counts its launches and waits per step (2 launches per
    /// time step forward, 3 backward, plus the rest; no wait). A process of its own, because the counters belong to the
    /// process-wide OpenCL device, which the other tests of this assembly use at the same time.
    /// </summary>
    [Recurrent.Tests.OpenCl.OpenClFact]
    public void BenchStepOnEveryDeviceCountsOpenClLaunchesAndNoWaits()
    {
        using var bench = new CliProcess(_folder, "bench", "step", "--batch", "2", "--input", "3", "--hidden", "4", "--seq-len", "6", "--threads", "1",
            "--seconds", "0.05", "--device", "all", "--json");
        Assert.True(bench.Finish() == 0, bench.Err);
        var rows = bench.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("cpu", rows[0].GetProperty("device").GetString());
        Assert.False(rows[0].TryGetProperty("launches_per_step", out _));
        var ocl = rows.Single(r => r.GetProperty("device").GetString() == "opencl:0");
        double launches = ocl.GetProperty("launches_per_step").GetDouble();
        Assert.InRange(launches, 5 * 6, 5 * 6 + 60); // 6 steps × (2 + 3), and the fixed part (45 measured: zeroing, input GEMMs, head, loss, Adam)
        Assert.True(ocl.GetProperty("pipelined_ms_per_step").GetDouble() > 0);
        Assert.Equal(0, ocl.GetProperty("host_waits_per_step").GetDouble()); // steps queued back to back never wait
        Assert.True(ocl.GetProperty("cpu_ratio").GetDouble() > 0);
    }

    [PosixFact]
    public void SigintStopsTrainingWith130AndTheSavedStateResumes()
    {
        // A run of many epochs of ~3000 batches: signalled right after its first batch, it is still in that epoch even on
        // a loaded machine (with 300 batches an epoch could end before the signal was handled: "stopped before epoch 2").
        File.WriteAllText(P("big.txt"), CliHarness.Words(20000));
        string[] train = ["train", "--text", "big.txt", "--hidden", "16", "--seq-len", "16", "--stride", "2", "--batch", "16", "--checkpoint", "lm.safetensors", "--threads", "1"];
        using (var process = new CliProcess(_folder, [.. train, "--epochs", "1000"]))
        {
            Assert.True(process.WaitForLine("batch 1/", Limit), $"no progress line; stderr: {process.Err}");
            Assert.Equal(0, Kill(process.Process.Id, SIGINT));
            int code = process.Finish();
            Assert.True(code == 130, $"exit {code}; stderr: {process.Err}");
            Assert.True(process.Err.Contains("interrupted: stopped in epoch") && process.Err.Contains("--resume lm.last.safetensors"), $"stderr: {process.Err}");
        }
        Assert.True(File.Exists(P("lm.last.safetensors")));
        var meta = CliHarness.Metadata(P("lm.last.safetensors"));
        int done = int.Parse(meta["epoch"], System.Globalization.CultureInfo.InvariantCulture);

        // Resume to the end of the epoch that was cut.
        var (resumed, output, err) = RunToEnd("train", "--resume", "lm.last.safetensors", "--epochs", $"{done + 1}", "--threads", "1");
        Assert.True(resumed == 0, err);
        Assert.Contains($"resuming after epoch {done}", err);
        Assert.Contains($"epoch {done + 1}/{done + 1}", output);
        Assert.Equal($"{done + 1}", CliHarness.Metadata(P("lm.last.safetensors"))["epoch"]);
        Assert.True(File.Exists(P("lm.safetensors")));
    }

    [PosixFact]
    public void SigtermStopsTrainingWith143AndSavesTheState()
    {
        File.WriteAllText(P("big.txt"), CliHarness.Words(2000));
        using var process = new CliProcess(_folder, "train", "--text", "big.txt", "--hidden", "16", "--seq-len", "16", "--stride", "2", "--batch", "16",
            "--epochs", "1000", "--checkpoint", "lm.safetensors", "--threads", "1");
        Assert.True(process.WaitForLine("batch 1/", Limit), $"no progress line; stderr: {process.Err}");
        Assert.Equal(0, Kill(process.Process.Id, SIGTERM));
        int code = process.Finish();
        Assert.True(code == 143, $"exit {code}; stderr: {process.Err}");
        Assert.Equal("training", CliHarness.Metadata(P("lm.last.safetensors"))["recurrent.checkpoint"]);
    }
}
