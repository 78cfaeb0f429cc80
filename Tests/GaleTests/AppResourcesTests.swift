import Foundation
import GaleTesting
import Testing

@testable import Gale

/// Finding an app's resources folder beside its executable, or where `GALE_RESOURCES` says,
/// and saying where it looked when it is in neither.
@Suite struct AppResourcesTests {
    @Test func theFolderBesideTheExecutable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Todo_Todo.resources/templates/index.html", "hello")
        let found = try AppResources.bundle(
            named: "Todo_Todo.resources", executable: directory.path + "/Todo", environment: nil)
        #expect(found.path == directory.path + "/Todo_Todo.resources")
        #expect(found.path("templates") == directory.path + "/Todo_Todo.resources/templates")
    }

    @Test func theEnvironmentVariableWins() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("share/templates/index.html", "hello")
        let found = try AppResources.bundle(
            named: "Todo_Todo.resources", executable: "/nowhere/Todo", environment: directory.path + "/share")
        #expect(found.path == directory.path + "/share")
        // An empty value is as if unset.
        #expect(throws: StartupError.self) {
            try AppResources.bundle(named: "Todo_Todo.resources", executable: "/nowhere/Todo", environment: "")
        }
    }

    @Test func aMissingFolderIsAStartupErrorThatSaysWhereItLooked() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Todo_App.resources/templates/index.html", "hello")
        let error = try #require(throws: StartupError.self) {
            try AppResources.bundle(
                named: "Todo_Todo.resources", executable: directory.path + "/Todo", environment: nil)
        }
        let message = error.description
        #expect(
            message.contains("Todo_Todo.resources is not beside the executable \(directory.path)/Todo"), "\(message)")
        #expect(message.contains("looked for \(directory.path)/Todo_Todo.resources"), "\(message)")
        #expect(message.contains("GALE_RESOURCES"), "\(message)")
        #expect(message.contains("resources folders there: Todo_App.resources"), "\(message)")

        let wrongVariable = try #require(throws: StartupError.self) {
            try AppResources.bundle(
                named: "Todo_Todo.resources", executable: directory.path + "/Todo",
                environment: directory.path + "/missing")
        }
        #expect(wrongVariable.description.contains("GALE_RESOURCES names \"\(directory.path)/missing\" does not exist"))
    }

    @Test func aRelativePathIsResolvedFromTheWorkingDirectory() {
        let resources = AppResources(path: "share/todo")
        #expect(resources.path == FileManager.default.currentDirectoryPath + "/share/todo")
    }
}
