#include "PreviewDeviceBar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QToolButton>

PreviewDeviceBar::PreviewDeviceBar(QWidget *parent)
    : QWidget(parent), m_devices(new QComboBox(this)), m_pdf(new QToolButton(this)),
      m_png(new QToolButton(this))
{
    m_devices->addItem(tr("Desktop"), 0);
    m_devices->addItem(tr("Tablet (%1 px)").arg(kTabletWidth), kTabletWidth);
    m_devices->addItem(tr("Phone (%1 px)").arg(kPhoneWidth), kPhoneWidth);
    m_devices->setToolTip(tr("Render the HTML at a device's width"));
    connect(m_devices, &QComboBox::currentIndexChanged, this,
            [this] { Q_EMIT deviceWidthChanged(deviceWidth()); });
    m_pdf->setText(tr("Save as PDF…"));
    m_pdf->setToolTip(tr("Print the rendered HTML to a PDF file"));
    m_png->setText(tr("Save as PNG…"));
    m_png->setToolTip(tr("Save the visible part of the rendered HTML as an image"));
    for (QToolButton *button : {m_pdf, m_png})
        button->setAutoRaise(true);
    connect(m_pdf, &QToolButton::clicked, this, &PreviewDeviceBar::savePdfRequested);
    connect(m_png, &QToolButton::clicked, this, &PreviewDeviceBar::savePngRequested);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_devices);
    layout->addWidget(m_pdf);
    layout->addWidget(m_png);
}

int PreviewDeviceBar::deviceWidth() const
{
    return m_devices->currentData().toInt();
}

void PreviewDeviceBar::setDeviceWidth(int width)
{
    const int index = m_devices->findData(width);
    if (index >= 0)
        m_devices->setCurrentIndex(index);
}
