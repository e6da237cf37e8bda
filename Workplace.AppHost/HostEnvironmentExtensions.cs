namespace Workplace.AppHost;

public static class HostEnvironmentExtensions
{
    /// <summary>
    /// Run mode: the service runs in the AppHost's environment (Development under <c>dotnet run</c> and the tests), which
    /// the development token needs. Publish mode leaves it to the deployment (Production unless it says otherwise).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHostEnvironment(this IResourceBuilder<ProjectResource> project) =>
        project.ApplicationBuilder.ExecutionContext.IsRunMode
            ? project.WithEnvironment("ASPNETCORE_ENVIRONMENT", project.ApplicationBuilder.Environment.EnvironmentName)
            : project;
}
