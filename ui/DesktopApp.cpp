#include "DesktopApp.h"

#include "api/ApiServer.h"

#include "DesktopSettings.h"
#include "HtmlPreview.h"
#include "Icons.h"
#include "MainWindow.h"
#include "server/SmtpService.h"

#include <QApplication>
#include <QMessageBox>
#include <QSettings>

namespace {
StoreOptions storeOptions(const DesktopSettings &settings)
{
    StoreOptions store;
    store.memory = settings.memoryStore;
    store.path = settings.databasePath;
    store.retention = {settings.retainMessages, settings.retainSessions};
    return store;
}
} // namespace

int runDesktop(int &argc, char **argv, const DesktopLaunch &launch)
{
    prepareHtmlPreviewProcess();
    QApplication app(argc, argv);
    QApplication::setWindowIcon(Icons::app());
    QGuiApplication::setDesktopFileName(QStringLiteral("smtpeek"));

    QSettings saved;
    DesktopSettings settings = DesktopSettings::load(saved);
    if (launch.listenAddress)
        settings.listenAddress = launch.listenAddress->toString();
    if (launch.listenPort)
        settings.listenPort = *launch.listenPort;
    if (!launch.hostname.isEmpty())
        settings.hostname = launch.hostname;
    if (launch.maxMessageSize)
        settings.maxMessageSize = *launch.maxMessageSize;
    if (launch.security)
        settings.security = *launch.security;
    if (launch.smtpsPort)
        settings.smtpsPort = *launch.smtpsPort;

    QString error;
    const StoreOptions storeChoice = launch.store ? *launch.store : storeOptions(settings);
    std::unique_ptr<MessageStore> store = openStore(storeChoice, &error);
    if (!store) {
        QMessageBox::critical(nullptr, QStringLiteral("smtpeek"),
                              QObject::tr("Cannot open the message store: %1").arg(error));
        return 1;
    }
    SmtpService service(store.get());
    MainWindow window(store.get(), &service, settings, launch.limits);
    // The automation API is an extra: if its port is taken the window still captures mail.
    QString apiError;
    const std::unique_ptr<ApiServer> api = startApiServer(launch.api, store.get(), &service, &apiError);
    if (launch.api.enabled && !api)
        window.showError(QObject::tr("The automation API is off: %1").arg(apiError));
    if (api && !storeChoice.memory)
        api->setDatabaseFile(storeChoice.path.isEmpty() ? defaultDatabasePath() : storeChoice.path);
    window.show();
    window.loadStoredMail();
    if (settings.startOnLaunch)
        window.startServer();
    const int exitCode = QApplication::exec();
    service.stop(); // the API takes session events in the server's thread: they end first
    store->flush();
    return exitCode;
}
