using System.Security.Claims;
using Workplace.McpApi.Sources;

namespace Workplace.McpApi.Auth;

public static class AuthExtensions
{
    public static IHostApplicationBuilder AddWorkplaceAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ISourceAccess, OpenSourceAccess>();
        return builder;
    }

    public static WebApplication UseWorkplaceAuth(this WebApplication app) => app;

    private sealed class OpenSourceAccess : ISourceAccess
    {
        private static readonly IReadOnlySet<string> s_all = SourceIds.All.ToHashSet(StringComparer.Ordinal);

        public string UserKey(ClaimsPrincipal user) => user.FindFirst("sub")?.Value ?? "anonymous";

        public IReadOnlySet<string> GrantedSources(ClaimsPrincipal user) => s_all;

        public IResult? Authorize(HttpContext context, IReadOnlyCollection<string> requestedSources) => null;
    }
}
