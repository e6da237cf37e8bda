using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workplace.McpApi;
using Workplace.McpApi.Auth;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Auth;

/// <summary>
/// The real mcpapi on Kestrel over loopback, configured through settings only. A probe at <c>/_probe</c> sits after
/// the whole pipeline (it answers only what no endpoint claimed), so it sees exactly what an endpoint of mcpapi sees:
/// it echoes the caller and, given <c>?sources=a,b</c>, runs <see cref="ISourceAccess.Authorize"/> as the MCP endpoint does.
/// </summary>
public sealed class McpApiHost(IReadOnlyDictionary<string, string?> settings, string environment = "Development", Action<KestrelServerOptions>? kestrel = null)
    : WebApplicationFactory<McpApiAssembly>
{
    public const string Resource = "https://workplace.test/mcp";
    public const string ResourceMetadata = "https://workplace.test/.well-known/oauth-protected-resource/mcp";
    public const string ReadScopes = "workplace:read:google_drive workplace:read:notion workplace:read:sharepoint workplace:read:files";

    /// <summary>Settings for an app that trusts <paramref name="issuer"/> through Auth:Authority.</summary>
    public static Dictionary<string, string?> AuthoritySettings(string issuer) => new()
    {
        ["Auth:Authority"] = issuer,
        ["Auth:Resource"] = "https://workplace.test",
        ["Auth:KeyRefreshInterval"] = "00:00:01",
    };

    /// <summary>
    /// Settings for an app in Descope mode (project <c>P2test</c>, MCP server <c>MS42</c>) whose Descope is
    /// <paramref name="descopeOrigin"/>, an <see cref="Workplace.Emulators.Oidc.OidcIssuer"/> serving <c>/v1/apps/agentic/P2test/MS42</c>.
    /// </summary>
    public static Dictionary<string, string?> DescopeSettings(string descopeOrigin) => new()
    {
        ["DESCOPE_PROJECT_ID"] = "P2test",
        ["DESCOPE_MCP_SERVER_ID"] = "MS42",
        ["Auth:DescopeBaseUrl"] = descopeOrigin,
        ["Auth:Resource"] = Resource,
    };

    /// <summary>Every log line the app wrote, formatted, with exception text.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>Where Kestrel listens, once started.</summary>
    public Uri BaseAddress => KestrelAddress.Of(Services);

    public HttpClient Client()
    {
        // An explicit loopback listener rather than UseKestrel(0), which rewrites the server's addresses after the app's
        // own start may have begun and then fails under load ("Addresses cannot be modified after the server has started").
        UseKestrel(kestrel ?? (options => options.Listen(IPAddress.Loopback, 0)));
        StartServer();
        return CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = BaseAddress });
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        // What the rest of mcpapi needs to start; nothing listens on port 9, and these tests need no connector data.
        builder.UseSetting("services:connectors:http:0", "http://127.0.0.1:9");
        builder.UseSetting("Internal:SigningKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.AddTransient<IStartupFilter, ProbeStartupFilter>();
            services.AddSingleton<ILoggerProvider>(Logs);
        });
    }

    private sealed class ProbeStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(async context =>
            {
                if (context.Request.Path != "/_probe")
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                var access = context.RequestServices.GetRequiredService<ISourceAccess>();
                var requested = context.Request.Query["sources"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
                if (access.Authorize(context, requested) is { } refusal)
                {
                    await refusal.ExecuteAsync(context);
                    return;
                }
                await context.Response.WriteAsJsonAsync(new JsonObject
                {
                    ["sub"] = context.User.FindFirst("sub")?.Value,
                    ["user_key"] = access.UserKey(context.User),
                    ["sources"] = new JsonArray([.. access.GrantedSources(context.User).Order().Select(s => (JsonNode)s)]),
                });
            });
        };
    }
}

public sealed class CapturedLogs : ILoggerProvider
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (logs._lines)
            {
                logs._lines.Add($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}

public static class HttpExtensions
{
    public static async Task<HttpResponseMessage> GetWithTokenAsync(this HttpClient client, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }
        return await client.SendAsync(request);
    }

    public static string WwwAuthenticate(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("WWW-Authenticate", out var values) ? string.Join(" | ", values) : "";

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;
}
