using Stackvault.Storage;

namespace Stackvault.Errors;

/// <summary>A storage location (a repository, its bucket or container, a bucket to back up, their endpoint) does not exist or cannot be reached (exit 10).</summary>
public class LocationNotFoundException(string message, Exception? inner = null) : StackvaultException(message, inner);

/// <summary>The repository does not exist (exit 10).</summary>
public sealed class RepositoryNotFoundException(string location)
    : LocationNotFoundException($"repository not found at {location}");

/// <summary>No key opens with the password, or an encrypted repository was given none (exit 12).</summary>
public sealed class WrongPasswordException(string message = "wrong password: no key in the repository opens with it")
    : StackvaultException(message);

/// <summary>A conflicting lock is held (exit 11).</summary>
public sealed class RepositoryLockedException(string holder)
    : StackvaultException($"repository is locked: {holder}");

/// <summary>An object's bytes failed their hash or authentication check, or could not be parsed.</summary>
public sealed class CorruptObjectException(ObjectHandle handle, string detail)
    : StackvaultException($"corrupt object {handle}: {detail}")
{
    public ObjectHandle Handle { get; } = handle;
}

/// <summary>An object that should exist is absent.</summary>
public sealed class ObjectNotFoundException(ObjectHandle handle)
    : StackvaultException($"object {handle} not found")
{
    public ObjectHandle Handle { get; } = handle;
}

/// <summary>An object with that name exists already; stored objects are never overwritten.</summary>
public sealed class ObjectExistsException(ObjectHandle handle)
    : StackvaultException($"object {handle} exists already; objects are never overwritten")
{
    public ObjectHandle Handle { get; } = handle;
}

/// <summary>The repository was written by a newer format version than this build understands.</summary>
public sealed class UnsupportedVersionException(string what, int found, int supported)
    : StackvaultException($"{what} has format version {found}; this Stackvault reads up to version {supported}: upgrade Stackvault");
