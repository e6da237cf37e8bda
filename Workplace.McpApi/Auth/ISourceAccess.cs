using System.Security.Claims;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.McpApi.Auth;

/// <summary>What the authenticated caller may read. The one place that turns a token into sources.</summary>
public interface ISourceAccess
{
    /// <summary>A stable, non-secret key for per-user caches and limits.</summary>
    string UserKey(ClaimsPrincipal user);

    /// <summary>The sources the caller's token grants.</summary>
    IReadOnlySet<string> GrantedSources(ClaimsPrincipal user);

    /// <summary>The caller as mcpapi vouches for it to connectors: user key, granted sources and the token's email, if any.</summary>
    InternalPrincipal Principal(ClaimsPrincipal user);

    /// <summary>
    /// Null when the caller may read every requested source; otherwise the HTTP answer to send instead of running
    /// the call (403 with a WWW-Authenticate insufficient_scope challenge naming every scope needed).
    /// </summary>
    IResult? Authorize(HttpContext context, IReadOnlyCollection<string> requestedSources);
}
