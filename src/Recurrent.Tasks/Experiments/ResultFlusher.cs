// Writes an experiment's result files on a thread of its own as runs end, so no run waits on the disk.
namespace Recurrent.Tasks.Experiments;

/// <summary>
/// Keeps the result files on disk up to date while runs go on. A finished run asks for a write (<see cref="Request"/>)
/// and carries on; one background thread renders the results under <paramref name="gate"/> (the lock runs are added
/// under) and writes them outside it. Requests that arrive while a write is under way become one more write of the
/// newest state. <see cref="Complete"/> stops the thread and writes the final state itself.
/// </summary>
/// <remarks>
/// Why: a run that ended used to render and fsync four files itself before it could take the next job: 4–14 ms a time
/// and 40–75 ms the first time (the JSON code's first use), while the other core's run went on alone.
/// </remarks>
public sealed class ResultFlusher
{
    private readonly ResultSet _results;
    private readonly string _directory;
    private readonly object _gate;
    private readonly SemaphoreSlim _requests = new(0);
    private readonly Task _writer;
    private volatile bool _stopping;
    private Exception? _failure;

    public ResultFlusher(ResultSet results, string directory, object gate)
    {
        _results = results;
        _directory = directory;
        _gate = gate;
        _writer = Task.Factory.StartNew(WriteWhenAsked, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Ask for the files to be rewritten with the results as they will stand when the writer gets to them.</summary>
    public void Request() => _requests.Release();

    /// <summary>Waits for the writer, then writes the final state on this thread; rethrows a failure of an earlier write.</summary>
    public void Complete()
    {
        _stopping = true;
        _requests.Release();
        _writer.Wait();
        ResultFiles files;
        lock (_gate) files = _results.Render();
        files.Write(_directory);
        if (_failure is not null) throw new IOException($"writing the results to {_directory} failed: {_failure.Message}", _failure);
    }

    private void WriteWhenAsked()
    {
        while (true)
        {
            _requests.Wait();
            while (_requests.Wait(0)) { } // requests that piled up during the last write: one write of the newest state serves them all
            if (_stopping || _failure is not null) return;
            try
            {
                ResultFiles files;
                lock (_gate) files = _results.Render();
                files.Write(_directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _failure = e; // reported by Complete; the runs go on
            }
        }
    }
}
