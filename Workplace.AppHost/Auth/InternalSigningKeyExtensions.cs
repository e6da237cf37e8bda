using System.Security.Cryptography;

namespace Workplace.AppHost.Auth;

public static class InternalSigningKeyExtensions
{
    public const string ParameterName = "internal-signing-key";

    /// <summary>
    /// The key both services sign and check the internal assertion with. Run mode: a fresh one per AppHost run, never
    /// printed. Publish mode: a secret parameter the deployment asks for (<c>openssl rand -base64 32</c>).
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddInternalSigningKey(this IDistributedApplicationBuilder builder)
    {
        // Generated once here: the value callback may run once per service, and both must get the same key.
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return builder.AddParameter(ParameterName, () => key, publishValueAsDefault: false, secret: true);
    }

    public static IResourceBuilder<ProjectResource> WithInternalSigningKey(this IResourceBuilder<ProjectResource> project, IResourceBuilder<ParameterResource> key) =>
        project.WithEnvironment("Internal__SigningKey", key);
}
