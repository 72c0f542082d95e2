// Float64 finite-difference checks of Rnn, Lstm and Gru over every combination of their options.
using Recurrent.Nn;
using Recurrent.Tensors;

namespace Recurrent.Tests.Nn;

public class RecurrentGradCheckTests
{
    // Odd sizes, so that no dimension hides another: input 3, hidden 5, T 7, B 4.
    private const int Input = 3, Hidden = 5, Steps = 7, Batch = 4;
    private static readonly int[] Lengths = [7, 5, 2, 1];

    public static TheoryData<string, bool, bool, bool, bool, int> Combinations()
    {
        var data = new TheoryData<string, bool, bool, bool, bool, int>();
        foreach (string model in new[] { "rnn-tanh", "rnn-relu", "lstm", "lstm-proj", "gru" })
            foreach (bool bias in new[] { true, false })
                foreach (bool bidirectional in new[] { false, true })
                    foreach (bool batchFirst in new[] { false, true })
                        foreach (bool varLengths in new[] { false, true })
                            foreach (int layers in new[] { 1, 2 })
                                data.Add(model, bias, bidirectional, batchFirst, varLengths, layers);
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void AnalyticGradientsMatchCentralDifferences(string model, bool bias, bool bidirectional, bool batchFirst, bool varLengths, int layers)
    {
        var options = new RecurrentOptions
        {
            Bias = bias,
            Bidirectional = bidirectional,
            BatchFirst = batchFirst,
            NumLayers = layers,
            Nonlinearity = model == "rnn-relu" ? Nonlinearity.Relu : Nonlinearity.Tanh,
            ProjSize = model == "lstm-proj" ? 2 : 0,
        };
        var results = Check(NewLayer(model, options), varLengths ? Lengths : null);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: max abs error {r.MaxAbsError:E2}, max rel {r.MaxRelError:E2}"));
        Assert.Contains(results, r => r.Name == "input");
        Assert.Contains(results, r => r.Name == "weight_hh_l0");
    }

    /// <summary>One direction (whose layers pass their states on in place, the mask applied into a buffer of its own) and
    /// two (column blocks), with and without lengths.</summary>
    [Theory]
    [InlineData("lstm", true, true)]
    [InlineData("lstm", false, true)]
    [InlineData("rnn", false, false)]
    [InlineData("gru", false, true)]
    public void DropoutBetweenLayersKeepsGradientsExactForAFixedMask(string model, bool bidirectional, bool withLengths)
    {
        var layer = NewLayer(model, new RecurrentOptions { NumLayers = 2, Dropout = 0.4, Bidirectional = bidirectional });
        var results = Check(layer, withLengths ? Lengths : null);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: max abs error {r.MaxAbsError:E2}"));
    }

    internal static RecurrentLayer NewLayer(string model, RecurrentOptions options) => model switch
    {
        "lstm" or "lstm-proj" => new Lstm(Input, Hidden, options, new Rng(1), dtype: DType.Float64),
        "gru" => new Gru(Input, Hidden, options, new Rng(1), dtype: DType.Float64),
        _ => new Rnn(Input, Hidden, options, new Rng(1), dtype: DType.Float64),
    };

    internal static IReadOnlyList<GradCheckResult> Check(RecurrentLayer layer, int[]? lengths) =>
        RecurrentGradCheck.Run(layer, Steps, Batch, lengths);
}
