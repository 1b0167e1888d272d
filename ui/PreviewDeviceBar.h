#pragma once

#include <QWidget>

class QComboBox;
class QToolButton;

// The HTML preview's device widths (desktop, tablet 768 px, phone 375 px) and its Save as PDF and
// Save as PNG buttons, in the Preview tab's bar.
class PreviewDeviceBar : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kPhoneWidth = 375;
    static constexpr int kTabletWidth = 768;

    explicit PreviewDeviceBar(QWidget *parent = nullptr);

    // 0 for the desktop: as wide as the pane.
    int deviceWidth() const;
    void setDeviceWidth(int width);
    QComboBox *devices() const { return m_devices; }

Q_SIGNALS:
    void deviceWidthChanged(int width);
    void savePdfRequested(); // the owner asks for a file name and saves
    void savePngRequested();

private:
    QComboBox *m_devices;
    QToolButton *m_pdf;
    QToolButton *m_png;
};
