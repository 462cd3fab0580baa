namespace Provisioner.Core.Providers;

/// <summary>One instance type the cloud sells in one region, spelled as the cloud spells it.</summary>
public sealed record CloudSoldType(string Region, string Name);
