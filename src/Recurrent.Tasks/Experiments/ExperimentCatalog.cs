// Every experiment `recurrent list` shows and `recurrent run` runs, by name.
namespace Recurrent.Tasks.Experiments;

public static class ExperimentCatalog
{
    private static readonly List<Func<Experiment>> Factories =
    [
        () => new FirstTokenExperiment(),
        () => new CopyDelayExperiment(),
        () => new MeanStackedExperiment(),
        () => new SineExperiment(),
        () => new EchoExperiment(),
        () => new PalindromeExperiment(),
        () => new CharLstmExperiment(),
        () => new HiddenPcaExperiment(),
        () => new AddingExperiment(),
        () => new CopyMemoryExperiment(),
    ];

    /// <summary>New instances, in the order `recurrent list` prints them.</summary>
    public static IReadOnlyList<Experiment> All => Factories.Select(f => f()).ToList();

    public static Experiment? Find(string name) => All.FirstOrDefault(e => e.Name == name);
}
