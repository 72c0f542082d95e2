// `recurrent gradcheck` end to end: exit code, JSON, the seed and the device it checks on.
using System.Text.Json;
using Recurrent.Tests.OpenCl;
using static Recurrent.Tests.Cli.CliHarness;

namespace Recurrent.Tests.Cli;

public sealed class GradcheckCommandTests
{
    private static JsonElement Checks(string output) => JsonDocument.Parse(output).RootElement;

    [Fact]
    public void GruOnTheCpuPassesEveryCheckAndSaysWhereAndWithWhichSeed()
    {
        var (code, output, err) = Run("gradcheck", "--model", "gru", "--device", "cpu", "--seed", "7", "--json");
        Assert.True(code == 0, err);
        var root = Checks(output);
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(7UL, root.GetProperty("seed").GetUInt64());
        Assert.StartsWith("cpu", root.GetProperty("device").GetString());
        var checks = root.GetProperty("checks").EnumerateArray().ToList();
        Assert.Contains(checks, c => c.GetProperty("tensor").GetString() == "weight_hh_l0");
        Assert.All(checks, c => Assert.True(c.GetProperty("max_abs_error").GetDouble() < 1e-5));
    }

    [Fact]
    public void ASeedChangesTheWeightsAndSoTheErrors()
    {
        double Worst(string seed) => Checks(Run("gradcheck", "--model", "rnn", "--device", "cpu", "--seed", seed, "--json").Out)
            .GetProperty("checks").EnumerateArray().Max(c => c.GetProperty("max_abs_error").GetDouble());
        Assert.NotEqual(Worst("1"), Worst("2"));
    }

    [Fact]
    public void ABadSeedIsAUsageError()
    {
        var (code, _, err) = Run("gradcheck", "--seed", "-3");
        Assert.Equal(2, code);
        Assert.Contains("--seed '-3'", err);
    }

    [OpenClFact]
    public void LstmOnOpenClPassesInFloat64()
    {
        var (code, output, err) = Run("gradcheck", "--model", "lstm", "--device", "opencl", "--json");
        Assert.True(code == 0, err + output);
        var root = Checks(output);
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.StartsWith("opencl", root.GetProperty("device").GetString());
    }
}
