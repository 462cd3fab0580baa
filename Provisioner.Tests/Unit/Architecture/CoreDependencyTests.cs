using Provisioner.Core.Jobs;

namespace Provisioner.Tests.Unit.Architecture;

/// <summary>Core holds the domain, the steps and the work port; the job engine is the workers' business.</summary>
public sealed class CoreDependencyTests
{
    [Theory]
    [InlineData("Hangfire")]
    [InlineData("Quartz")]
    public void Core_ReferencesNoJobEnginePackage(string engine)
    {
        var references = typeof(InstanceWorkRunner).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.Should().Contain("Npgsql", "the check must see Core's real references");
        references.Should().NotContain(name => name.StartsWith(engine, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Core_ReferencesNoWebFramework()
    {
        var references = typeof(InstanceWorkRunner).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.Should().Contain("Microsoft.Extensions.Hosting.Abstractions", "the check must see Core's real references");
        references.Should().NotContain(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal),
            "endpoint mapping and health checks live in Provisioner.Hosting");
    }

    [Fact]
    public void Api_ReferencesNoWorker()
    {
        typeof(Provisioner.Api.Hosting.ApiServices).Assembly.GetReferencedAssemblies().Select(a => a.Name)
            .Should().NotContain("Provisioner.Worker", "the API records work; only workers run it");
    }
}
