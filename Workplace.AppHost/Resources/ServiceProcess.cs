using System.Diagnostics;
using System.Globalization;

namespace Workplace.AppHost.Resources;

/// <summary>
/// One service of the graph as a supervised <c>dotnet &lt;assembly&gt;</c> process: started, health-gated,
/// restarted with backoff when it crashes, stopped with SIGTERM then a process-tree kill.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int RememberedLines = 60;
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(10);

    private readonly ServiceDefinition _definition;
    private readonly IGraphOutput _output;
    private readonly RestartPolicy _restart;
    private readonly TimeSpan _healthTimeout;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Lock _lock = new();
    private readonly Queue<string> _recentLines = new();
    private readonly List<DateTime> _crashes = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _gaveUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _current;
    private Task _supervision = Task.CompletedTask;
    private int _restarts;
    private bool _disposed;

    internal ServiceProcess(ServiceDefinition definition, IGraphOutput output, RestartPolicy restart, TimeSpan healthTimeout)
    {
        _definition = definition;
        _output = output;
        _restart = restart;
        _healthTimeout = healthTimeout;
    }

    public string Name => _definition.Name;

    /// <summary>Where the service listens (its <c>ASPNETCORE_URLS</c>).</summary>
    public Uri Url => _definition.Url;

    public ServiceDefinition Definition => _definition;

    /// <summary>The running process's id; null between a crash and its restart, and after stop.</summary>
    public int? ProcessId
    {
        get
        {
            lock (_lock)
            {
                return _current is { HasExited: false } process ? process.Id : null;
            }
        }
    }

    /// <summary>How many times the service was restarted after a crash.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>Completes when the service crashed too often and is left down.</summary>
    public Task GaveUp => _gaveUp.Task;

    /// <summary>The service's last lines of output, for error messages.</summary>
    public IReadOnlyList<string> RecentOutput
    {
        get
        {
            lock (_recentLines)
            {
                return [.. _recentLines];
            }
        }
    }

    /// <summary>Starts the process and waits for its <c>/health</c> to answer 200.</summary>
    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var process = Launch() ?? throw new OperationCanceledException("The graph is stopping.");
        _output.Info(Name, $"started (pid {process.Id}) on {Url}; waiting for {HealthUrl}");
        await WaitHealthyAsync(process, cancellationToken);
        _output.Info(Name, string.Create(CultureInfo.InvariantCulture, $"healthy after {started.Elapsed.TotalSeconds:0.0} s"));
        _supervision = SuperviseAsync(process);
    }

    private Uri HealthUrl => new(Url, "/health");

    private Process? Launch()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { _definition.AssemblyPath },
            WorkingDirectory = Path.GetDirectoryName(_definition.AssemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Never written: the service's lifeline (WORKPLACE_EXIT_ON_STDIN_EOF), closed by the kernel if we die.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var name in _definition.RemovedEnvironment)
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in _definition.Environment)
        {
            start.Environment[name] = value;
        }

        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return null;
            }
            var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => OnLine(e.Data);
            process.ErrorDataReceived += (_, e) => OnLine(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _current?.Dispose();
            _current = process;
            return process;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_recentLines)
        {
            _recentLines.Enqueue(line);
            if (_recentLines.Count > RememberedLines)
            {
                _recentLines.Dequeue();
            }
        }
        _output.Line(Name, line);
    }

    private async Task WaitHealthyAsync(Process process, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _healthTimeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new GraphStartException(Name, $"exited with code {process.ExitCode} before it was healthy", RecentOutput);
            }
            if (await IsHealthyAsync(cancellationToken))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new GraphStartException(Name, $"did not answer 200 on {HealthUrl} within {_healthTimeout.TotalSeconds:0} s", RecentOutput);
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>True when <c>/health</c> answers 200 now.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _http.GetAsync(HealthUrl, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task SuperviseAsync(Process process)
    {
        while (true)
        {
            await process.WaitForExitAsync(CancellationToken.None);
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var now = DateTime.UtcNow;
            _crashes.RemoveAll(t => now - t > _restart.Window);
            _crashes.Add(now);
            var exitCode = process.ExitCode;
            if (_crashes.Count >= _restart.MaxCrashes)
            {
                _output.Info(Name, string.Create(CultureInfo.InvariantCulture,
                    $"crashed {_crashes.Count} times within {_restart.Window.TotalSeconds:0} s (last exit code {exitCode}); not restarting it. Its last output is above; fix the cause and start the AppHost again."));
                _gaveUp.TrySetResult();
                return;
            }

            var delay = _restart.DelayFor(_crashes.Count);
            _output.Info(Name, string.Create(CultureInfo.InvariantCulture,
                $"exited unexpectedly (code {exitCode}); restarting in {delay.TotalSeconds:0.0} s (crash {_crashes.Count} of {_restart.MaxCrashes} allowed within {_restart.Window.TotalSeconds:0} s)"));
            try
            {
                await Task.Delay(delay, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var restarted = Stopwatch.StartNew();
            var next = Launch();
            if (next is null)
            {
                return;
            }
            Interlocked.Increment(ref _restarts);
            process = next;
            _ = ReportHealthyAsync(next, restarted);
        }
    }

    private async Task ReportHealthyAsync(Process process, Stopwatch restarted)
    {
        try
        {
            await WaitHealthyAsync(process, _stopping.Token);
            _output.Info(Name, string.Create(CultureInfo.InvariantCulture, $"restarted (pid {process.Id}), healthy after {restarted.Elapsed.TotalSeconds:0.0} s"));
        }
        catch (GraphStartException)
        {
            // The supervision loop sees the exit and handles it as another crash.
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// From now on an exit is a stop, not a crash. Called for every service as soon as the graph stops: Ctrl+C reaches
    /// the whole process group, so a service can exit before the AppHost gets round to stopping it.
    /// </summary>
    internal void BeginStop()
    {
        lock (_lock)
        {
            if (!_stopping.IsCancellationRequested)
            {
                _stopping.Cancel();
            }
        }
    }

    /// <summary>Stops supervision and the process: SIGTERM, then after a grace period a kill of the whole process tree.</summary>
    public async ValueTask DisposeAsync()
    {
        Process? process;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            if (!_stopping.IsCancellationRequested)
            {
                _stopping.Cancel();
            }
            process = _current;
        }
        if (process is not null)
        {
            await StopProcessAsync(process, Name, _output);
        }
        await _supervision;
        process?.Dispose();
        _http.Dispose();
        _stopping.Dispose();
    }

    internal static async Task StopProcessAsync(Process process, string name, IGraphOutput output)
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }
            var id = process.Id;
            if (NativeMethods.TryTerminate(id))
            {
                using var grace = new CancellationTokenSource(s_stopGrace);
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                    return;
                }
                catch (OperationCanceledException)
                {
                    output.Info(name, string.Create(CultureInfo.InvariantCulture, $"did not stop within {s_stopGrace.TotalSeconds:0} s of SIGTERM; killing it"));
                }
            }
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the signal.
        }
    }
}
