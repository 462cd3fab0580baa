namespace Provisioner.Tests.Browser;

/// <summary>The operator-console tests share one API and one browser; each test opens its own browser context.</summary>
[CollectionDefinition(Name)]
public sealed class OpsCollection : ICollectionFixture<OpsStack>
{
    public const string Name = "ops console";
}
