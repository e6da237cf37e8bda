using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Workplace.AppHost;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Graph;

// The AppHost as a person runs it: its own process with the dashboard, stopped with SIGTERM (what Ctrl+C's SIGINT also
// triggers), and as `azd` runs it: the publish manifest.
public sealed class AppHostProcessTests
{
    [Fact]
    public async Task AppHost_PrintsHowToConnect_AndOnSigtermLeavesNoProcessBehind()
    {
        var output = new ConcurrentQueue<string>();
        var data = Directory.CreateTempSubdirectory("workplace-apphost-");
        var mcpPort = RedisServer.FreeLoopbackPort();
        using var process = StartAppHost(output, [], new()
        {
            ["WORKPLACE_MCPAPI_PORT"] = mcpPort.ToString(CultureInfo.InvariantCulture),
            ["WORKPLACE_CACHE_DATA"] = data.FullName,
        });
        List<int> graph = [];
        try
        {
            await WaitForConnectInstructionsAsync(output);
            graph = GraphProcesses(process.Id);

            Assert.Contains(output, l => l.Contains($"claude mcp add --transport http workplace http://localhost:{mcpPort}/mcp --header \"Authorization: Bearer ${ConnectInstructions.TokenVariable}\"", StringComparison.Ordinal));
            Assert.Contains(output, l => l.Contains($"export {ConnectInstructions.TokenVariable}=ey", StringComparison.Ordinal));
            Assert.Contains(output, l => l.Contains("Dashboard         http://127.0.0.1:", StringComparison.Ordinal) && l.Contains("/login?t=", StringComparison.Ordinal));
            // No provider configured: each one is emulated, and the instructions say so.
            Assert.Contains(output, l => l.StartsWith("  emulators         http://localhost:", StringComparison.Ordinal));
            foreach (var source in (string[])["google_drive", "notion", "sharepoint"])
            {
                Assert.Contains(output, l => l.StartsWith($"  {source,-18}emulated", StringComparison.Ordinal));
            }
            // DCP, the dashboard, redis-server, the emulators and both services all run.
            var commands = graph.Select(CommandLine).ToList();
            foreach (var expected in (string[])["dcp", "Aspire.Dashboard", "redis-server", "Workplace.Emulators", "Workplace.Connectors", "Workplace.McpApi"])
            {
                Assert.Contains(commands, c => c.Contains(expected, StringComparison.Ordinal));
            }

            // Act
            await StopAsync(process);

            // Assert: not one of them is left, not even a zombie.
            await WaitUntilGoneAsync(graph, TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            KillLeftovers(graph);
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AppHost_KilledOutright_DcpStopsTheGraphItself()
    {
        var output = new ConcurrentQueue<string>();
        var data = Directory.CreateTempSubdirectory("workplace-apphost-");
        using var process = StartAppHost(output, [], new()
        {
            ["WORKPLACE_MCPAPI_PORT"] = "0",
            ["WORKPLACE_CACHE_DATA"] = data.FullName,
        });
        List<int> graph = [];
        try
        {
            await WaitForConnectInstructionsAsync(output);
            graph = GraphProcesses(process.Id);
            Assert.Contains(graph.Select(CommandLine), c => c.Contains("Workplace.McpApi", StringComparison.Ordinal));

            // Act: no chance to stop anything (SIGKILL).
            process.Kill();

            // Assert: DCP watches the AppHost's pid and takes the graph down with it.
            await WaitUntilGoneAsync(graph, TimeSpan.FromSeconds(90));
        }
        finally
        {
            KillLeftovers(graph);
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task WithoutRedisServer_TheGraphStartsOnInProcessCaches_AndSaysHowToInstallRedis()
    {
        var output = new ConcurrentQueue<string>();
        // A PATH with dotnet and nothing else: redis-server is not installed as far as the AppHost can tell.
        var bin = Directory.CreateTempSubdirectory("workplace-path-");
        File.CreateSymbolicLink(Path.Combine(bin.FullName, "dotnet"), Environment.ProcessPath!);
        using var process = StartAppHost(output, [], new()
        {
            ["PATH"] = bin.FullName,
            ["WORKPLACE_MCPAPI_PORT"] = "0",
        });
        try
        {
            await WaitForConnectInstructionsAsync(output);

            Assert.Contains(output, l => l.Contains("in-process in each service: redis-server is not installed (sudo apt-get install redis-server", StringComparison.Ordinal));
            Assert.DoesNotContain(GraphProcesses(process.Id).Select(CommandLine), c => c.Contains("redis-server", StringComparison.Ordinal));
        }
        finally
        {
            await StopAsync(process);
            bin.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PublishManifest_DeploysTheServicesAsProjects_WithSecretsAsParameters_TheRealProviders_AndOnlyMcpApiOutside()
    {
        var output = new ConcurrentQueue<string>();
        var folder = Directory.CreateTempSubdirectory("workplace-manifest-");
        try
        {
            using var process = StartAppHost(output, ["--publisher", "manifest", "--output-path", folder.FullName], []);
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
            Assert.True(process.ExitCode == 0, string.Join(Environment.NewLine, output));

            var file = Directory.GetFiles(folder.FullName, "*.json").Single();
            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var resources = manifest.RootElement.GetProperty("resources");
            string TypeOf(string name) => resources.GetProperty(name).GetProperty("type").GetString()!;

            Assert.DoesNotContain(resources.EnumerateObject(), r => r.Value.GetProperty("type").GetString()!.StartsWith("executable", StringComparison.Ordinal));
            Assert.StartsWith("container.", TypeOf("cache"), StringComparison.Ordinal);
            Assert.StartsWith("project.", TypeOf("connectors"), StringComparison.Ordinal);
            Assert.StartsWith("project.", TypeOf("mcpapi"), StringComparison.Ordinal);
            Assert.True(External(resources.GetProperty("mcpapi")), "mcpapi must have an external HTTP ingress");
            Assert.False(External(resources.GetProperty("connectors")), "connectors must stay internal");
            Assert.False(External(resources.GetProperty("cache")), "Redis must stay internal");

            var key = resources.GetProperty("internal-signing-key");
            Assert.Equal("parameter.v0", key.GetProperty("type").GetString());
            Assert.True(key.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
            Assert.False(key.GetProperty("inputs").GetProperty("value").TryGetProperty("default", out _), "the signing key must never have a published value");
            Assert.Equal("parameter.v0", TypeOf("auth-authority"));
            Assert.Equal("parameter.v0", TypeOf("auth-resource"));

            var connectors = resources.GetProperty("connectors").GetProperty("env");
            var mcpapi = resources.GetProperty("mcpapi").GetProperty("env");
            Assert.Equal("{internal-signing-key.value}", connectors.GetProperty("Internal__SigningKey").GetString());
            Assert.Equal("{internal-signing-key.value}", mcpapi.GetProperty("Internal__SigningKey").GetString());
            Assert.Equal("{auth-authority.value}", mcpapi.GetProperty("Auth__Authority").GetString());
            Assert.Equal("{cache.connectionString}", mcpapi.GetProperty("ConnectionStrings__cache").GetString());
            Assert.Equal("{cache.connectionString}", connectors.GetProperty("ConnectionStrings__cache").GetString());
            Assert.False(mcpapi.TryGetProperty("Auth__DevSigningKey", out _), "the development key never leaves run mode");

            // The real providers, never the emulators; each provider's OAuth client is asked for, its secret as a secret.
            Assert.False(resources.TryGetProperty("emulators", out _), "a deployment never runs the emulators");
            Assert.DoesNotContain(resources.EnumerateObject(), r => r.Value.TryGetProperty("path", out var path) && path.GetString()!.Contains("Emulators", StringComparison.Ordinal));
            Assert.DoesNotContain(connectors.EnumerateObject(), v => v.Name.EndsWith("__Emulated", StringComparison.Ordinal));
            Assert.Equal("https://www.googleapis.com/", connectors.GetProperty("Sources__GoogleDrive__BaseUrl").GetString());
            Assert.Equal("https://api.notion.com/", connectors.GetProperty("Sources__Notion__BaseUrl").GetString());
            Assert.Equal("https://graph.microsoft.com/v1.0/", connectors.GetProperty("Sources__SharePoint__BaseUrl").GetString());
            foreach (var (name, parameter) in new[] { ("GoogleDrive", "google-drive"), ("Notion", "notion"), ("SharePoint", "sharepoint") })
            {
                Assert.Equal($"{{{parameter}-client-id.value}}", connectors.GetProperty($"Sources__{name}__OAuth__ClientId").GetString());
                Assert.Equal($"{{{parameter}-client-secret.value}}", connectors.GetProperty($"Sources__{name}__OAuth__ClientSecret").GetString());
                Assert.Equal("parameter.v0", TypeOf($"{parameter}-client-id"));
                var secret = resources.GetProperty($"{parameter}-client-secret").GetProperty("inputs").GetProperty("value");
                Assert.True(secret.GetProperty("secret").GetBoolean(), $"{parameter}-client-secret must be a secret");
                Assert.False(secret.TryGetProperty("default", out _), $"{parameter}-client-secret must never have a published value");
            }
            Assert.Equal("{sharepoint-tenant.value}", connectors.GetProperty("Sources__SharePoint__OAuth__Tenant").GetString());
            Assert.False(connectors.TryGetProperty("Sources__SharePoint__OAuth__AuthorizeUrl", out _), "connectors builds the URLs from the tenant");
            Assert.Equal("organizations", resources.GetProperty("sharepoint-tenant").GetProperty("inputs").GetProperty("value").GetProperty("default").GetProperty("value").GetString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Task WaitForConnectInstructionsAsync(ConcurrentQueue<string> output) =>
        Poll.UntilAsync(() => Task.FromResult(output.Any(l => l.Contains("Ctrl+C stops everything.", StringComparison.Ordinal))),
            TimeSpan.FromMinutes(3), "the AppHost's connect instructions" + Environment.NewLine + string.Join(Environment.NewLine, output));

    // A zombie still has /proc/<pid>: an exited child nobody reaped counts as left behind too.
    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    private static Task WaitUntilGoneAsync(List<int> graph, TimeSpan timeout) =>
        Poll.UntilAsync(() => Task.FromResult(!graph.Any(IsAlive)), timeout,
            "every process of the graph to be gone: " + string.Join(", ", graph.Where(IsAlive).Select(CommandLine)));

    private static void KillLeftovers(List<int> graph)
    {
        foreach (var pid in graph.Where(IsAlive))
        {
            using var leftover = Process.GetProcessById(pid);
            leftover.Kill();
        }
    }

    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
    }

    private static bool External(JsonElement resource) =>
        resource.TryGetProperty("bindings", out var bindings)
        && bindings.EnumerateObject().Any(b => b.Value.TryGetProperty("external", out var external) && external.GetBoolean());

    private static Process StartAppHost(ConcurrentQueue<string> output, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(BuiltProject.Assembly("Workplace.AppHost"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // What the AppHost's http launch profile sets under `dotnet run`, on ports of this test's own.
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{RedisServer.FreeLoopbackPort()}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{RedisServer.FreeLoopbackPort()}";
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{RedisServer.FreeLoopbackPort()}";
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // The AppHost's descendants, plus DCP's: DCP detaches (its parent is init) and names the AppHost it watches.
    private static List<int> GraphProcesses(int appHost)
    {
        var parents = Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Select(name => (Pid: int.Parse(name!, CultureInfo.InvariantCulture), Parent: ParentOf(name!)))
            .Where(p => p.Parent is not null)
            .ToList();
        var roots = parents.Where(p => p.Pid == appHost || CommandLine(p.Pid).Contains($"--monitor {appHost}", StringComparison.Ordinal)).Select(p => p.Pid);
        var graph = new HashSet<int>(roots);
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                grew |= graph.Contains(parent!.Value) && graph.Add(pid);
            }
        }
        graph.Remove(appHost);
        return [.. graph];
    }

    // /proc/<pid>/stat: "pid (comm) state ppid ...".
    private static int? ParentOf(string pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
