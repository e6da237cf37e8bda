namespace Workplace.AppHost.Cache;

/// <summary>
/// redis-server from PATH, run by DCP like any executable: Aspire's own Redis resource is a container, and this
/// machine (like many developers') has no container runtime.
/// </summary>
public sealed class RedisServerResource(string name, string workingDirectory)
    : ExecutableResource(name, "redis-server", workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    public EndpointReference Endpoint => new(this, EndpointName);

    // 127.0.0.1, not the endpoint's "localhost": redis-server binds IPv4 only, and a client resolving localhost to ::1
    // first would wait for that attempt to fail.
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Endpoint.Property(EndpointProperty.TargetPort)}");
}
