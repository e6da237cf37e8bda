using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Api;

/// <summary>
/// Every /internal call must carry a valid assertion from mcpapi (InternalAssertion); the principal it names
/// is what handlers act as.
/// </summary>
public static partial class InternalAuthentication
{
    private const string PrincipalKey = "Workplace.InternalPrincipal";

    public static async ValueTask<object?> RequireAssertionAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var assertion = InternalAssertion.FromAuthorizationHeader(http.Request.Headers.Authorization);
        var principal = await http.RequestServices.GetRequiredService<InternalAssertion>().ValidateAsync(assertion);
        if (principal is null)
        {
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InternalAuthentication));
            Log.Rejected(logger, http.Request.Path, assertion is null ? "no assertion" : "invalid assertion");
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Create(StatusCodes.Status401Unauthorized, "Unauthorized", assertion is null
                ? "No internal assertion: send Authorization: Bearer <assertion> signed by mcpapi with Internal:SigningKey."
                : "The internal assertion is forged, expired or not meant for connectors: sign a fresh one with the Internal:SigningKey both services share.");
        }
        http.Items[PrincipalKey] = principal;
        return await next(context);
    }

    public static InternalPrincipal Principal(this HttpContext context) =>
        context.Items[PrincipalKey] as InternalPrincipal ?? throw new InvalidOperationException("The internal principal is only available behind RequireAssertionAsync.");

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refused internal call to {Path}: {Reason}")]
        public static partial void Rejected(ILogger logger, string path, string reason);
    }
}
