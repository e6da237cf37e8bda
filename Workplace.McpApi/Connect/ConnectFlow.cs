using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Workplace.McpApi.Search;
using Workplace.McpApi.Sources;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.McpApi.Connect;

/// <summary>
/// The browser side of connecting a provider: <c>GET /connect/{source}?ticket=</c> starts the provider's
/// authorization-code flow with PKCE and a state bound to the ticket's user and to this browser (a cookie);
/// <c>GET /connect/{source}/callback</c> takes the state once, checks the cookie and the source, and has connectors
/// redeem the code for that user. Both are anonymous: the browser has no bearer token, the ticket says who it is.
/// </summary>
public static partial class ConnectFlow
{
    private const string CookiePrefix = "workplace_connect_";

    private static readonly Dictionary<string, string> s_titles = new(StringComparer.Ordinal)
    {
        [SourceIds.GoogleDrive] = "Google Drive",
        [SourceIds.Notion] = "Notion",
        [SourceIds.SharePoint] = "SharePoint and OneDrive",
    };

    public static IHostApplicationBuilder AddConnectFlow(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConnectStateStore>();
        builder.Services.AddHttpClient<ConnectionsClient>(http => http.BaseAddress = ConnectorClientOptions.BaseAddress);
        return builder;
    }

    public static WebApplication MapConnectFlow(this WebApplication app)
    {
        var connect = app.MapGroup("/connect").AllowAnonymous().ExcludeFromDescription().AddEndpointFilter(UnavailableAsPage);
        connect.MapGet("/{source}", StartAsync);
        connect.MapGet("/{source}/callback", CallbackAsync);
        return app;
    }

    private static async Task<IResult> StartAsync(
        string source, string? ticket, HttpContext context, ConnectLinks links, ConnectStateStore states, ConnectionsClient connections, ILogger<ConnectLinks> logger)
    {
        if (!s_titles.TryGetValue(source, out var title))
        {
            return ConnectPage.Refused("Unknown source", $"There is no source '{source}' to connect. Ask your agent for a new connect link.", StatusCodes.Status404NotFound);
        }
        if (links.Read(ticket, source) is not { } who)
        {
            return ConnectPage.Refused("This connect link does not work",
                $"The link to connect {title} is incomplete, has expired (links last {ConnectLinks.TicketLifetime.TotalMinutes:0} minutes) or is for another source. Ask your agent again for a new link.");
        }
        var state = RandomToken();
        var verifier = RandomToken();
        var redirectUri = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/connect/{Uri.EscapeDataString(source)}/callback";
        await states.SaveAsync(state, new ConnectState(who.UserKey, who.Email, source, verifier, redirectUri));

        var authorize = await connections.AuthorizeAsync(Principal(who.UserKey, who.Email, source), source,
            new AuthorizeRequest(redirectUri, state, Challenge(verifier), who.Email), context.RequestAborted);
        if (authorize.Value is not { } consent)
        {
            LogConnectorsRefused(logger, "authorize", source, (int)authorize.Status);
            return ConnectPage.Refused($"{title} cannot be connected right now",
                authorize.Detail ?? $"Workplace could not start connecting {title}. Try the link again in a minute.", StatusCodes.Status502BadGateway);
        }
        context.Response.Cookies.Append(CookiePrefix + source, state, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = "/connect",
            MaxAge = ConnectStateStore.Lifetime,
        });
        return Results.Redirect(consent.AuthorizationUrl);
    }

    private static async Task<IResult> CallbackAsync(
        string source, string? code, string? state, string? error, HttpContext context, ConnectStateStore states, ConnectionsClient connections, ILogger<ConnectLinks> logger)
    {
        if (!s_titles.TryGetValue(source, out var title))
        {
            return ConnectPage.Refused("Unknown source", $"There is no source '{source}' to connect. Ask your agent for a new connect link.", StatusCodes.Status404NotFound);
        }
        var startAgain = $"Ask your agent again for a new link to connect {title}.";
        if (string.IsNullOrEmpty(state) || await states.TakeAsync(state) is not { } flow)
        {
            return ConnectPage.Refused("This sign-in cannot be completed", $"This sign-in has expired, was already completed, or did not start here. {startAgain}");
        }
        var cookie = context.Request.Cookies[CookiePrefix + source];
        context.Response.Cookies.Delete(CookiePrefix + source, new CookieOptions { Path = "/connect" });
        if (cookie is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(state)))
        {
            return ConnectPage.Refused("Open the link in the same browser",
                $"This sign-in was started in another browser (or its cookie was blocked). Open the connect link and finish signing in in the same browser. {startAgain}");
        }
        if (!string.Equals(flow.Source, source, StringComparison.Ordinal))
        {
            return ConnectPage.Refused("This sign-in cannot be completed", $"This sign-in was for another source. {startAgain}");
        }
        if (error is not null)
        {
            return error == "access_denied"
                ? ConnectPage.Refused($"{title} was not connected", $"You did not allow Workplace to read your {title}, so nothing was connected. If you change your mind, ask your agent again for a connect link.")
                : ConnectPage.Refused($"{title} was not connected", $"{title} answered with the error '{error}', so nothing was connected. {startAgain}");
        }
        if (string.IsNullOrEmpty(code))
        {
            return ConnectPage.Refused($"{title} was not connected", $"{title} sent no authorization code back. {startAgain}");
        }
        var granted = await connections.GrantAsync(Principal(flow.UserKey, flow.Email, source), source,
            new GrantRequest(code, flow.CodeVerifier, flow.RedirectUri), context.RequestAborted);
        if (granted.Status is >= System.Net.HttpStatusCode.OK and < System.Net.HttpStatusCode.MultipleChoices)
        {
            return ConnectPage.Connected(title);
        }
        LogConnectorsRefused(logger, "grant", source, (int)granted.Status);
        return granted.Status == System.Net.HttpStatusCode.BadRequest
            ? ConnectPage.Refused($"{title} was not connected", granted.Detail ?? $"{title} refused the sign-in. {startAgain}")
            : ConnectPage.Refused($"{title} was not connected", $"Workplace could not finish connecting {title}. {startAgain}", StatusCodes.Status502BadGateway);
    }

    /// <summary>Redis or connectors failing mid-flow is a page that says to try again, not an error page with a trace.</summary>
    private static async ValueTask<object?> UnavailableAsPage(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or HttpRequestException
            or TaskCanceledException && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogUnavailable(context.HttpContext.RequestServices.GetRequiredService<ILogger<ConnectLinks>>(), e.GetType().Name);
            return ConnectPage.Refused("Connecting is not possible right now",
                "Workplace could not reach a service it needs to connect your account. Wait a minute, then open the connect link again.", StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>The ticket's user, granted only the source being connected: all that connecting needs.</summary>
    private static InternalPrincipal Principal(string userKey, string? email, string source) =>
        new(userKey, new HashSet<string>(StringComparer.Ordinal) { source }, email);

    private static string RandomToken() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static string Challenge(string verifier) => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    [LoggerMessage(Level = LogLevel.Error, Message = "A connect flow failed because a service it needs did not answer ({Failure}).")]
    private static partial void LogUnavailable(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connectors refused the connect flow's {Step} call for {Source} with {Status}.")]
    private static partial void LogConnectorsRefused(ILogger logger, string step, string source, int status);
}
