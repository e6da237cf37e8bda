using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Workplace.AppHost.Resources;

/// <summary>A redis-server process from PATH on a free loopback port, its data under a given folder.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string InstallHint = "Install Redis to share the cache between services and keep it across restarts: sudo apt-get install redis-server (macOS: brew install redis).";

    private const string PidFileName = "redis-server.pid";

    private readonly Process _process;
    private readonly IGraphOutput _output;
    private readonly string _name;

    private RedisServer(Process process, int port, string name, IGraphOutput output)
    {
        _process = process;
        Port = port;
        _name = name;
        _output = output;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    /// <summary>The value of <c>ConnectionStrings__cache</c>.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public static string? FindExecutable() => FindOnPath("redis-server");

    /// <summary>
    /// Starts redis-server bound to 127.0.0.1 only. With <paramref name="persist"/> it snapshots to
    /// <c>dump.rdb</c> in <paramref name="dataDirectory"/> (every minute after a change, and on shutdown) so tokens
    /// and caches survive an AppHost restart; without, nothing is written to disk (tests).
    /// </summary>
    public static async Task<RedisServer> StartAsync(string name, string dataDirectory, bool persist, IGraphOutput output, CancellationToken cancellationToken)
    {
        var executable = FindExecutable()
            ?? throw new InvalidOperationException($"redis-server is not on PATH. {InstallHint}");
        Directory.CreateDirectory(dataDirectory);
        await StopLeftoverAsync(dataDirectory, name, output);
        // Another process can take the free port between our probe and redis binding it: try a few ports.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var process = Launch(executable, port, dataDirectory, persist, name, output);
            var server = new RedisServer(process, port, name, output);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (!await server.PingAsync(cancellationToken))
            {
                if (process.HasExited && attempt < 3)
                {
                    break;
                }
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    await server.DisposeAsync();
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"redis-server ({executable}) did not answer PING on 127.0.0.1:{port}; its output is above. Check that {dataDirectory} is writable."));
                }
                await Task.Delay(50, cancellationToken);
            }
            if (!process.HasExited)
            {
                return server;
            }
            await server.DisposeAsync();
        }
    }

    private static Process Launch(string executable, int port, string dataDirectory, bool persist, string name, IGraphOutput output)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--protected-mode", "yes",
            "--dir", dataDirectory,
            "--appendonly", "no",
            "--save", persist ? "60 1" : "",
            "--dbfilename", "dump.rdb",
            "--pidfile", Path.Combine(dataDirectory, PidFileName),
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        void Forward(string? line)
        {
            if (!string.IsNullOrEmpty(line))
            {
                output.Line(name, line);
            }
        }
    }

    // An AppHost killed outright (SIGKILL, a crash) cannot stop its redis-server, which would keep running on its old
    // port and write the same dump.rdb as the next one. Its pid file names it: stop it before starting a new one.
    private static async Task StopLeftoverAsync(string dataDirectory, string name, IGraphOutput output)
    {
        var pidFile = Path.Combine(dataDirectory, PidFileName);
        if (!File.Exists(pidFile)
            || !int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }
        try
        {
            using var leftover = Process.GetProcessById(pid);
            if (!leftover.ProcessName.StartsWith("redis-server", StringComparison.Ordinal))
            {
                return;
            }
            output.Info(name, string.Create(CultureInfo.InvariantCulture, $"stopping redis-server (pid {pid}) left running by an earlier AppHost on {dataDirectory}"));
            await ServiceProcess.StopProcessAsync(leftover, name, output);
        }
        catch (ArgumentException)
        {
            // Not running any more.
        }
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM (redis saves its snapshot when persisting), then a kill after a grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        await ServiceProcess.StopProcessAsync(_process, _name, _output);
        _process.Dispose();
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsPortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin").Append("/usr/local/bin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
