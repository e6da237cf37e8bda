using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Workplace.AppHost.Providers;

/// <summary>How connecting one emulated source went: <paramref name="Message"/> is the line the developer reads.</summary>
public sealed record SourceConnection(string Source, bool Connected, string Message);

/// <summary>
/// The development user, already connected: once mcpapi is ready, the AppHost connects the development token's user to
/// every emulated source through the real connect flow, as a person would: the connect URL from <c>list_sources</c> (the
/// REST facade), then a browser-like client with cookies follows it: mcpapi's <c>/connect/{source}</c> → the emulator's
/// authorization endpoint (which signs in the <c>login_hint</c> user without a page) → mcpapi's callback. A source that
/// does not connect is a warning that says how to connect it by hand, never a failure of the graph.
/// </summary>
public sealed partial class DevUserConnections(ILogger<DevUserConnections> logger)
{
    /// <summary>The emulated user the development token names (Workplace.Emulators' EmulatedUsers.Aditi; a test keeps the two equal).</summary>
    public const string EmulatedUserEmail = "aditi.raman@halcyon-robotics.example";

    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource<IReadOnlyList<SourceConnection>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every emulated source was tried (whole-graph tests wait for it).</summary>
    public Task<IReadOnlyList<SourceConnection>> Completion => _completion.Task;

    /// <summary>Connects the user of <paramref name="token"/> to <paramref name="sources"/> at mcpapi <paramref name="mcpApi"/>; never throws.</summary>
    public async Task<IReadOnlyList<SourceConnection>> ConnectAsync(Uri mcpApi, string token, IReadOnlyList<string> sources, CancellationToken cancellationToken)
    {
        List<SourceConnection> outcomes = [];
        try
        {
            using var browser = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { Timeout = s_callTimeout };
            var api = new ToolsApi(browser, mcpApi, token);
            foreach (var source in sources)
            {
                var outcome = await ConnectAsync(api, browser, source, cancellationToken);
                outcomes.Add(outcome);
                if (outcome.Connected)
                {
                    LogConnected(logger, source, outcome.Message);
                }
                else
                {
                    LogNotConnected(logger, source, outcome.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The AppHost is stopping: nothing left to report.
        }
        _completion.TrySetResult(outcomes);
        return outcomes;
    }

    /// <summary>Nothing to connect (no development token): completes with no outcomes.</summary>
    public void Skip() => _completion.TrySetResult([]);

    private static async Task<SourceConnection> ConnectAsync(ToolsApi api, HttpClient browser, string source, CancellationToken cancellationToken)
    {
        SourceConnection NotConnected(string why) => new(source, false,
            $"{why} Connect it by hand: call the list_sources tool and open the connect_url it gives for {source} in a browser (the emulator signs in {EmulatedUserEmail}).");
        try
        {
            var listed = await api.ListedAsync(source, cancellationToken);
            if (listed is null)
            {
                return NotConnected("list_sources does not list it.");
            }
            // A grant kept in Redis from an earlier run names tokens the restarted emulators never issued: a search finds
            // that out (the grant is dropped and the source asks to be connected again).
            if (listed.Connected)
            {
                var status = await api.SearchStatusAsync(source, cancellationToken);
                if (status == "ok")
                {
                    return new(source, true, $"already connected as {EmulatedUserEmail}.");
                }
                listed = await api.ListedAsync(source, cancellationToken);
            }
            if (listed?.ConnectUrl is not { } connectUrl)
            {
                return NotConnected($"list_sources gives no connect URL for it ({listed?.Description ?? "no description"}).");
            }

            using var response = await browser.GetAsync(connectUrl, cancellationToken);
            var landed = response.RequestMessage?.RequestUri;
            if (response.StatusCode != HttpStatusCode.OK || landed is null || !landed.AbsolutePath.EndsWith("/callback", StringComparison.Ordinal))
            {
                return NotConnected($"the connect flow ended with {(int)response.StatusCode} {response.ReasonPhrase} at {landed?.GetLeftPart(UriPartial.Path) ?? "an unknown address"}.");
            }
            return (await api.ListedAsync(source, cancellationToken))?.Connected == true
                ? new(source, true, $"connected as {EmulatedUserEmail} through the connect flow.")
                : NotConnected("the connect flow finished, yet list_sources still says it is not connected.");
        }
        // An answer of another shape (a branch of mcpapi without these fields) is a reason to connect by hand, not a crash.
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return NotConnected($"{e.GetType().Name}: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} (emulated): {Outcome}")]
    private static partial void LogConnected(ILogger logger, string source, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} (emulated) is not connected: {Outcome}")]
    private static partial void LogNotConnected(ILogger logger, string source, string outcome);

    private sealed record ListedSource(bool Connected, string? ConnectUrl, string? Description);

    /// <summary>mcpapi's REST facade (<c>POST /mcp/tools/{name}/call</c>), called with the development token.</summary>
    private sealed class ToolsApi(HttpClient http, Uri mcpApi, string token)
    {
        public async Task<ListedSource?> ListedAsync(string source, CancellationToken cancellationToken)
        {
            using var result = await CallAsync("list_sources", "{}", cancellationToken);
            foreach (var entry in result.RootElement.GetProperty("structuredContent").GetProperty("sources").EnumerateArray())
            {
                if (entry.GetProperty("source").GetString() == source)
                {
                    return new(
                        entry.TryGetProperty("connected", out var connected) && connected.ValueKind == JsonValueKind.True,
                        entry.TryGetProperty("connect_url", out var url) && url.ValueKind == JsonValueKind.String ? url.GetString() : null,
                        entry.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String ? description.GetString() : null);
                }
            }
            return null;
        }

        public async Task<string?> SearchStatusAsync(string source, CancellationToken cancellationToken)
        {
            // A query of its own each time: the per-user result cache must not answer for the provider.
            var arguments = new JsonObject
            {
                ["query"] = $"connection check {Guid.NewGuid():N}",
                ["sources"] = new JsonArray(source),
                ["max_results"] = 1,
            }.ToJsonString();
            using var result = await CallAsync("search", arguments, cancellationToken);
            return result.RootElement.GetProperty("structuredContent").GetProperty("sources").EnumerateArray()
                .FirstOrDefault(s => s.GetProperty("source").GetString() == source) is { ValueKind: JsonValueKind.Object } status
                ? status.GetProperty("status").GetString()
                : null;
        }

        private async Task<JsonDocument> CallAsync(string tool, string arguments, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(mcpApi, $"/mcp/tools/{tool}/call"))
            {
                Content = new StringContent(arguments, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{tool} answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
            }
            return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        }
    }
}
