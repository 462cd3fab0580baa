using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Provisioner.Core.Persistence;
using Provisioner.Core.Persistence.Configurations;

namespace Provisioner.Tests.Unit.Core.Persistence;

public sealed class EntityConfigurationsTests
{
    // The list exists so a process does not load every type of Provisioner.Core (and the cloud SDKs behind the
    // adapters' types) to build its model; the assembly scan it replaced stays the reference here, in the tests.
    [Fact]
    public void Apply_BuildsTheSameModelAsEveryConfigurationInTheAssembly()
    {
        var listed = new ModelBuilder();
        EntityConfigurations.Apply(listed);
        var scanned = new ModelBuilder();
        scanned.ApplyConfigurationsFromAssembly(typeof(ProvisionerDbContext).Assembly);

        listed.Model.GetEntityTypes().Should().HaveCount(scanned.Model.GetEntityTypes().Count());
        listed.Model.ToDebugString(MetadataDebugStringOptions.LongDefault)
            .Should().Be(scanned.Model.ToDebugString(MetadataDebugStringOptions.LongDefault));
    }
}
